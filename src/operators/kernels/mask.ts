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
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const inside = (x[i] - x0) >>> 0 < w && (y[i] - y0) >>> 0 < h;
    if (inside !== outside) indices[kept++] = i;
  }
  return gather(batch, indices, kept);
}
