import type { EventBatch } from '../../events/eventBatch.ts';
import { scratchIndices, withArrays } from './gather.ts';
import { regionIndices, type Region } from './region.ts';

export interface CropState {
  /** Indices of the events inside the region (scratch, reused across batches). */
  indices: Uint32Array;
}

/**
 * Keeps the events inside `region` and re-bases them: x - region.x, y - region.y, and the output geometry is
 * the region's size. A region usually holds a minority of the events, so the first loop only records indices
 * (one store per event, no branch on inside or outside) and the kept few are then gathered.
 */
export function cropKernel(batch: EventBatch, state: CropState, region: Region): EventBatch {
  const n = batch.length;
  const indices = (state.indices = scratchIndices(state.indices, n));
  const count = regionIndices(batch.x, batch.y, n, region, false, indices);
  const t = new Float64Array(count);
  const x = new Uint16Array(count);
  const y = new Uint16Array(count);
  const p = new Uint8Array(count);
  gatherTimes(batch.t, indices, count, t);
  gatherShifted(batch.x, indices, count, region.x, x);
  gatherShifted(batch.y, indices, count, region.y, y);
  gatherPolarities(batch.p, indices, count, p);
  return withArrays(batch, { width: region.width, height: region.height }, t, x, y, p);
}

// One loop per array: each is a load of the index, one load and one store (measured faster than one loop
// moving all four fields when few events are kept).
function gatherTimes(t: Float64Array, indices: Uint32Array, count: number, out: Float64Array): void {
  for (let k = 0; k < count; k++) out[k] = t[indices[k]];
}

function gatherShifted(values: Uint16Array, indices: Uint32Array, count: number, origin: number, out: Uint16Array): void {
  for (let k = 0; k < count; k++) out[k] = values[indices[k]] - origin;
}

function gatherPolarities(p: Uint8Array, indices: Uint32Array, count: number, out: Uint8Array): void {
  for (let k = 0; k < count; k++) out[k] = p[indices[k]];
}
