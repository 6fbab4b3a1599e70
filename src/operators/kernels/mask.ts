import type { EventBatch } from '../../events/eventBatch.ts';
import { gather, scratchIndices } from './gather.ts';
import type { Region } from './region.ts';

export interface MaskState {
  indices: Uint32Array;
}

/**
 * Keeps the events inside `region` (or, with `outside`, those outside it) at their own coordinates: the
 * geometry is unchanged, unlike crop.
 */
export function maskKernel(batch: EventBatch, state: MaskState, region: Region, outside: boolean): EventBatch {
  const n = batch.length;
  const indices = (state.indices = scratchIndices(state.indices, n));
  const { x, y } = batch;
  const x0 = region.x;
  const y0 = region.y;
  const w = region.width;
  const h = region.height;
  const w1 = (w - 1) | 0;
  const h1 = (h - 1) | 0;
  const flip = outside ? 1 : 0;
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] - x0) | 0;
    const dy = (y[i] - y0) | 0;
    indices[kept] = i;
    // Inside when none of dx, w-1-dx, dy, h-1-dy is negative; no branch on the outcome (edges mispredict).
    kept += ((dx | (w1 - dx) | dy | (h1 - dy)) >>> 31) ^ 1 ^ flip;
  }
  return gather(batch, indices, kept);
}
