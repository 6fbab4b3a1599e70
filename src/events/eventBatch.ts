import type { Geometry } from './geometry.ts';

/**
 * A batch of DVS events as struct-of-arrays. The stream contract:
 * - `t` is in microseconds (integer values stored in a Float64Array, exact up to 2^53 µs);
 * - `x`, `y` are pixel coordinates with x < width, y < height; `p` is 1 for ON (brighter), 0 for OFF;
 * - every array has exactly `length` elements (they may be views into a larger buffer);
 * - batches may be empty, never null; within a stream `t` never decreases.
 */
export interface EventBatch extends Geometry {
  readonly t: Float64Array;
  readonly x: Uint16Array;
  readonly y: Uint16Array;
  readonly p: Uint8Array;
  readonly length: number;
  /** External trigger events (Prophesee EXT_TRIGGER, AEDAT triggers), when the source has them. */
  readonly triggers?: TriggerBatch;
}

/** External trigger edges, struct-of-arrays like events. */
export interface TriggerBatch {
  readonly t: Float64Array;
  readonly id: Uint8Array;
  readonly value: Uint8Array;
  readonly length: number;
}

export function emptyBatch(geometry: Geometry): EventBatch {
  return {
    t: new Float64Array(0),
    x: new Uint16Array(0),
    y: new Uint16Array(0),
    p: new Uint8Array(0),
    length: 0,
    width: geometry.width,
    height: geometry.height,
  };
}

/** Builds a batch from arrays that the caller owns from now on (no copy). */
export function makeBatch(
  geometry: Geometry,
  t: Float64Array,
  x: Uint16Array,
  y: Uint16Array,
  p: Uint8Array,
  triggers?: TriggerBatch,
): EventBatch {
  const length = t.length;
  if (x.length !== length || y.length !== length || p.length !== length) {
    throw new RangeError(`EventBatch arrays differ in length: t=${t.length} x=${x.length} y=${y.length} p=${p.length}`);
  }
  const batch: EventBatch = { t, x, y, p, length, width: geometry.width, height: geometry.height };
  return triggers && triggers.length > 0 ? { ...batch, triggers } : batch;
}

/** Events `start..end` of a batch as views (no copy). */
export function sliceBatch(batch: EventBatch, start: number, end: number): EventBatch {
  return {
    t: batch.t.subarray(start, end),
    x: batch.x.subarray(start, end),
    y: batch.y.subarray(start, end),
    p: batch.p.subarray(start, end),
    length: Math.max(0, Math.min(end, batch.length) - start),
    width: batch.width,
    height: batch.height,
  };
}

/** Concatenates batches of one stream into a new batch (copies). Triggers are concatenated too. */
export function concatBatches(batches: readonly EventBatch[], geometry?: Geometry): EventBatch {
  const geo = geometry ?? batches[0] ?? { width: 1, height: 1 };
  let n = 0;
  let nt = 0;
  for (const b of batches) {
    n += b.length;
    nt += b.triggers?.length ?? 0;
  }
  const t = new Float64Array(n);
  const x = new Uint16Array(n);
  const y = new Uint16Array(n);
  const p = new Uint8Array(n);
  const tt = new Float64Array(nt);
  const tid = new Uint8Array(nt);
  const tv = new Uint8Array(nt);
  let o = 0;
  let ot = 0;
  for (const b of batches) {
    t.set(b.t, o);
    x.set(b.x, o);
    y.set(b.y, o);
    p.set(b.p, o);
    o += b.length;
    if (b.triggers) {
      tt.set(b.triggers.t, ot);
      tid.set(b.triggers.id, ot);
      tv.set(b.triggers.value, ot);
      ot += b.triggers.length;
    }
  }
  return makeBatch(geo, t, x, y, p, nt > 0 ? { t: tt, id: tid, value: tv, length: nt } : undefined);
}
