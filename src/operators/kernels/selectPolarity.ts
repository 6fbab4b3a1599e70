import type { EventBatch } from '../../events/eventBatch.ts';
import { gather, scratchIndices } from './gather.ts';

export interface SelectPolarityState {
  indices: Uint32Array;
}

/** Keeps the events whose polarity is `polarity` (1 = ON, 0 = OFF). */
export function selectPolarityKernel(batch: EventBatch, state: SelectPolarityState, polarity: 0 | 1): EventBatch {
  const n = batch.length;
  const indices = (state.indices = scratchIndices(state.indices, n));
  const p = batch.p;
  let kept = 0;
  for (let i = 0; i < n; i++) {
    if (p[i] === polarity) indices[kept++] = i;
  }
  return gather(batch, indices, kept);
}
