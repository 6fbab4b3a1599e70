import type { EventBatch } from '../../events/eventBatch.ts';
import type { Geometry } from '../../events/geometry.ts';

/**
 * Copies the events at `indices[0..count)` of `batch` into new exact-length arrays. Filter kernels first
 * collect the indices of kept events in a reused scratch array (one Uint32 write per kept event in the hot
 * loop) and then gather once, so outputs never alias the input. Triggers are not pixel events: they pass
 * through untouched.
 */
export function gather(batch: EventBatch, indices: Uint32Array, count: number, geometry: Geometry = batch): EventBatch {
  if (count * 4 > batch.length * 3) return compact(batch, indices, count, geometry);
  const t = new Float64Array(count);
  const x = new Uint16Array(count);
  const y = new Uint16Array(count);
  const p = new Uint8Array(count);
  const bt = batch.t;
  const bx = batch.x;
  const by = batch.y;
  const bp = batch.p;
  for (let k = 0; k < count; k++) {
    const i = indices[k];
    t[k] = bt[i];
    x[k] = bx[i];
    y[k] = by[i];
    p[k] = bp[i];
  }
  return withArrays(batch, geometry, t, x, y, p);
}

/**
 * When most events are kept (denoising), copying everything with `slice` (a memcpy) and closing the gaps
 * with `copyWithin` (a memmove per run of kept events, no allocation) beats gathering element by element.
 * The arrays keep up to a quarter of unused tail: a view of length `count`, not a second copy.
 */
function compact(batch: EventBatch, indices: Uint32Array, count: number, geometry: Geometry): EventBatch {
  const n = batch.length;
  const t = batch.t.slice(0, n);
  const x = batch.x.slice(0, n);
  const y = batch.y.slice(0, n);
  const p = batch.p.slice(0, n);
  let k = 0;
  // Leading events kept in place need no move.
  while (k < count && indices[k] === k) k++;
  while (k < count) {
    const first = indices[k];
    let end = k + 1;
    while (end < count && indices[end] === first + (end - k)) end++;
    const last = first + (end - k);
    t.copyWithin(k, first, last);
    x.copyWithin(k, first, last);
    y.copyWithin(k, first, last);
    p.copyWithin(k, first, last);
    k = end;
  }
  if (count === n) return withArrays(batch, geometry, t, x, y, p);
  return withArrays(batch, geometry, t.subarray(0, count), x.subarray(0, count), y.subarray(0, count), p.subarray(0, count));
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
