import type { EventBatch } from '../../events/eventBatch.ts';
import type { Geometry } from '../../events/geometry.ts';

/**
 * Copies the events at `indices[0..count)` of `batch` into new exact-length arrays. Filter kernels first
 * collect the indices of kept events in a reused scratch array (one Uint32 write per kept event in the hot
 * loop) and then gather once, so outputs never alias the input and never carry unused capacity.
 * Triggers are not pixel events: they pass through untouched.
 */
export function gather(batch: EventBatch, indices: Uint32Array, count: number, geometry: Geometry = batch): EventBatch {
  const t = new Float64Array(count);
  const x = new Uint16Array(count);
  const y = new Uint16Array(count);
  const p = new Uint8Array(count);
  const bt = batch.t;
  const bx = batch.x;
  const by = batch.y;
  const bp = batch.p;
  // Denoising keeps most events, in long runs of consecutive indices: a run is copied with one memcpy-like
  // `set` per array, a short run element by element (a subarray costs more than a few element copies).
  let k = 0;
  while (k < count) {
    const first = indices[k];
    let end = k + 1;
    while (end < count && indices[end] === first + (end - k)) end++;
    const run = end - k;
    if (run >= 32) {
      t.set(bt.subarray(first, first + run), k);
      x.set(bx.subarray(first, first + run), k);
      y.set(by.subarray(first, first + run), k);
      p.set(bp.subarray(first, first + run), k);
    } else {
      for (let j = 0; j < run; j++) {
        t[k + j] = bt[first + j];
        x[k + j] = bx[first + j];
        y[k + j] = by[first + j];
        p[k + j] = bp[first + j];
      }
    }
    k = end;
  }
  return withArrays(batch, geometry, t, x, y, p);
}

/** A new batch from arrays the kernel just made, keeping the input's triggers. */
export function withArrays(
  batch: EventBatch,
  geometry: Geometry,
  t: Float64Array,
  x: Uint16Array,
  y: Uint16Array,
  p: Uint8Array,
): EventBatch {
  const out: EventBatch = { t, x, y, p, length: t.length, width: geometry.width, height: geometry.height };
  return batch.triggers ? { ...out, triggers: batch.triggers } : out;
}

/** A scratch index array of at least `length` entries, reused across batches of one subscription. */
export function scratchIndices(current: Uint32Array, length: number): Uint32Array {
  if (current.length >= length) return current;
  let size = Math.max(1024, current.length);
  while (size < length) size *= 2;
  return new Uint32Array(size);
}
