import type { EventBatch } from '../../events/eventBatch.ts';
import { gather, scratchIndices } from './gather.ts';
import { regionIndices, type Region } from './region.ts';

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
  const kept = regionIndices(batch.x, batch.y, n, region, outside, indices);
  return gather(batch, indices, kept);
}
