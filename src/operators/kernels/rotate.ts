import type { EventBatch } from '../../events/eventBatch.ts';
import { mirrored } from './coordinatePairs.ts';
import { withArrays } from './gather.ts';

export type RotationDegrees = 90 | 180 | 270;

/**
 * Rotates the events clockwise as seen on screen (x to the right, y downwards) by 90, 180 or 270 degrees.
 * 90°: (x, y) → (height-1-y, x) on a height × width sensor; 180°: (width-1-x, height-1-y);
 * 270°: (y, width-1-x) on a height × width sensor. Each output coordinate is a copy (memcpy) or a mirror of
 * one input coordinate.
 */
export function rotateKernel(batch: EventBatch, degrees: RotationDegrees): EventBatch {
  const { x, y, width, height } = batch;
  let ox: Uint16Array;
  let oy: Uint16Array;
  if (degrees === 90) {
    ox = mirrored(y, height - 1);
    oy = x.slice();
  } else if (degrees === 180) {
    ox = mirrored(x, width - 1);
    oy = mirrored(y, height - 1);
  } else {
    ox = y.slice();
    oy = mirrored(x, width - 1);
  }
  const geometry = degrees === 180 ? { width, height } : { width: height, height: width };
  return withArrays(batch, geometry, batch.t.slice(), ox, oy, batch.p.slice());
}
