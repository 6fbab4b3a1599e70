import type { EventBatch } from '../../events/eventBatch.ts';
import { withArrays } from './gather.ts';
import type { Region } from './region.ts';

/**
 * Keeps the events inside `region` and re-bases them: x - region.x, y - region.y, and the output geometry is
 * the region's size.
 */
export function cropKernel(batch: EventBatch, region: Region): EventBatch {
  const n = batch.length;
  const { t, x, y, p } = batch;
  const x0 = region.x;
  const y0 = region.y;
  const w = region.width;
  const h = region.height;
  // Unsigned compare: (x - x0) >>> 0 < w is false for x < x0 as well, one test per axis.
  let count = 0;
  for (let i = 0; i < n; i++) {
    if ((x[i] - x0) >>> 0 < w && (y[i] - y0) >>> 0 < h) count++;
  }
  const ot = new Float64Array(count);
  const ox = new Uint16Array(count);
  const oy = new Uint16Array(count);
  const op = new Uint8Array(count);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] - x0) >>> 0;
    const dy = (y[i] - y0) >>> 0;
    if (dx < w && dy < h) {
      ot[k] = t[i];
      ox[k] = dx;
      oy[k] = dy;
      op[k] = p[i];
      k++;
    }
  }
  return withArrays(batch, { width: w, height: h }, ot, ox, oy, op);
}
