import type { EventBatch } from '../../events/eventBatch.ts';
import { withArrays } from './gather.ts';

export type RotationDegrees = 90 | 180 | 270;

/**
 * Rotates the events clockwise as seen on screen (x to the right, y downwards) by 90, 180 or 270 degrees.
 * 90°: (x, y) → (height-1-y, x) on a height × width sensor; 180°: (width-1-x, height-1-y);
 * 270°: (y, width-1-x) on a height × width sensor.
 */
export function rotateKernel(batch: EventBatch, degrees: RotationDegrees): EventBatch {
  const n = batch.length;
  const { x, y, width, height } = batch;
  const ox = new Uint16Array(n);
  const oy = new Uint16Array(n);
  if (degrees === 90) {
    for (let i = 0; i < n; i++) {
      ox[i] = height - 1 - y[i];
      oy[i] = x[i];
    }
  } else if (degrees === 180) {
    for (let i = 0; i < n; i++) {
      ox[i] = width - 1 - x[i];
      oy[i] = height - 1 - y[i];
    }
  } else {
    for (let i = 0; i < n; i++) {
      ox[i] = y[i];
      oy[i] = width - 1 - x[i];
    }
  }
  const geometry = degrees === 180 ? { width, height } : { width: height, height: width };
  return withArrays(batch, geometry, batch.t.slice(), ox, oy, batch.p.slice());
}
