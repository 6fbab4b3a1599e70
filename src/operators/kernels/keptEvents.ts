import type { EventBatch } from '../../events/eventBatch.ts';
import { withArrays } from './gather.ts';

/**
 * Output arrays that a filter loop writes kept events into as it goes: one ArrayBuffer holding t, x, y and p
 * side by side, with room for at least a whole input batch. The loops write every event at slot `kept` and
 * advance `kept` only for kept ones (no branch, no second pass over the input), so the capacity must be at least
 * the batch length.
 */
export interface KeptEvents {
  readonly capacity: number;
  readonly t: Float64Array;
  readonly x: Uint16Array;
  readonly y: Uint16Array;
  readonly p: Uint8Array;
}

/** The per-subscription holder of a not-yet-handed-out output buffer. */
export interface KeptEventsOwner {
  spare: KeptEvents | undefined;
}

export function allocateKeptEvents(capacity: number): KeptEvents {
  const buffer = new ArrayBuffer(capacity * 15);
  return {
    capacity,
    t: new Float64Array(buffer, 0, capacity),
    x: new Uint16Array(buffer, capacity * 8, capacity),
    y: new Uint16Array(buffer, capacity * 10, capacity),
    p: new Uint8Array(buffer, capacity * 12, capacity),
  };
}

/** A buffer with room for `length` events that nothing downstream has seen yet. */
export function takeKeptEvents(owner: KeptEventsOwner, length: number): KeptEvents {
  const spare = owner.spare;
  if (spare !== undefined && spare.capacity >= length) return spare;
  return (owner.spare = allocateKeptEvents(length));
}

/**
 * The output batch of the first `count` events written into `out`. When they fill at least three quarters of
 * it (denoising keeps most events), the batch is made of views of `out` and `out` is never written again: it is
 * handed over, and the next batch gets a fresh buffer. Otherwise the events are copied (memcpy) into arrays of
 * exact size and `out` stays the owner's spare. Either way the result shares no memory with the input and is
 * never written after it is returned. Triggers are not pixel events: they pass through untouched.
 */
export function finishKeptEvents(batch: EventBatch, owner: KeptEventsOwner, out: KeptEvents, count: number): EventBatch {
  let kept: KeptEvents;
  if (count * 4 >= out.capacity * 3) {
    owner.spare = undefined;
    kept = out;
  } else {
    kept = allocateKeptEvents(count);
    kept.t.set(out.t.subarray(0, count));
    kept.x.set(out.x.subarray(0, count));
    kept.y.set(out.y.subarray(0, count));
    kept.p.set(out.p.subarray(0, count));
  }
  const result: EventBatch = {
    t: count === kept.capacity ? kept.t : kept.t.subarray(0, count),
    x: count === kept.capacity ? kept.x : kept.x.subarray(0, count),
    y: count === kept.capacity ? kept.y : kept.y.subarray(0, count),
    p: count === kept.capacity ? kept.p : kept.p.subarray(0, count),
    length: count,
    width: batch.width,
    height: batch.height,
  };
  return batch.triggers ? { ...result, triggers: batch.triggers } : result;
}

/**
 * The first `count` events written into `out`, copied into four new arrays of exact size; `out` stays the
 * owner's spare, so the loop writes into warm memory every batch. Four allocations rather than one: a single
 * buffer for a 64 Ki-event batch is about 1 MB of fresh memory that page-faults on every batch, the largest
 * of four (t) half of that; measured +15 % for the WebAssembly background-activity path, which copies its kept
 * events into `out` anyway (the JavaScript loops write straight into `out` and hand it over instead).
 */
export function copiedKeptEvents(batch: EventBatch, out: KeptEvents, count: number): EventBatch {
  return withArrays(batch, batch, out.t.slice(0, count), out.x.slice(0, count), out.y.slice(0, count), out.p.slice(0, count));
}

/**
 * The events at `indices[0..count)` of `batch`, copied into one exact-size allocation (for filters that keep a
 * minority of events and record kept indices rather than the events themselves).
 */
export function gatherKeptEvents(batch: EventBatch, indices: Int32Array, count: number): EventBatch {
  const out = allocateKeptEvents(count);
  copyAt(batch.t, batch.x, batch.y, batch.p, indices, count, out.t, out.x, out.y, out.p);
  const result: EventBatch = { t: out.t, x: out.x, y: out.y, p: out.p, length: count, width: batch.width, height: batch.height };
  return batch.triggers ? { ...result, triggers: batch.triggers } : result;
}

/**
 * Copies the events at `indices[from..to)` of `batch` into slots from..to of `out` (a loop that collects events
 * in `out` and hands part of a batch to an index-collecting loop).
 */
export function copyKeptEvents(batch: EventBatch, indices: Int32Array, from: number, to: number, out: KeptEvents): void {
  for (let k = from; k < to; k++) {
    const i = indices[k];
    out.t[k] = batch.t[i];
    out.x[k] = batch.x[i];
    out.y[k] = batch.y[i];
    out.p[k] = batch.p[i];
  }
}

function copyAt(
  t: Float64Array,
  x: Uint16Array,
  y: Uint16Array,
  p: Uint8Array,
  indices: Int32Array,
  count: number,
  ot: Float64Array,
  ox: Uint16Array,
  oy: Uint16Array,
  op: Uint8Array,
): void {
  for (let k = 0; k < count; k++) {
    const i = indices[k];
    ot[k] = t[i];
    ox[k] = x[i];
    oy[k] = y[i];
    op[k] = p[i];
  }
}

/** A scratch index array with room for `length` entries, reused across batches of one subscription. */
export function scratchIndexArray(current: Int32Array, length: number): Int32Array {
  return current.length >= length ? current : new Int32Array(Math.max(length, current.length * 2));
}
