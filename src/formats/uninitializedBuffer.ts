import { raiseMallocThresholds } from './mallocThresholds.ts';

/**
 * Memory that is not zeroed first (Node's allocUnsafeSlow), for decoders' output arrays: every event slot is
 * written before it is read, and zeroing megabytes per chunk (then touching them again) is a measurable share
 * of a decode. Whoever hands such memory out must clear the part no event was written to, so that no stale
 * memory is ever reachable through `batch.t.buffer`.
 */
export function uninitializedBuffer(bytes: number): ArrayBuffer {
  // Fresh arrays per batch only stay cheap while freed ones are reused (see mallocThresholds.ts).
  raiseMallocThresholds();
  // Below a page or so, zeroing costs less than Node's unpooled allocation.
  return bytes < 16384 ? new ArrayBuffer(bytes) : (Buffer.allocUnsafeSlow(bytes).buffer as ArrayBuffer);
}

/** Event arrays of `capacity` slots (t, x, y, p), each in memory of its own that is not zeroed. */
export function uninitializedEventArrays(
  capacity: number,
): [Float64Array<ArrayBuffer>, Uint16Array<ArrayBuffer>, Uint16Array<ArrayBuffer>, Uint8Array<ArrayBuffer>] {
  return [
    new Float64Array(uninitializedBuffer(8 * capacity)),
    new Uint16Array(uninitializedBuffer(2 * capacity)),
    new Uint16Array(uninitializedBuffer(2 * capacity)),
    new Uint8Array(uninitializedBuffer(capacity)),
  ];
}

/**
 * Zeroes the slots from `written` on of event arrays in uninitialized memory, before the written part is handed
 * out as views: what no event was written to must not leak stale memory through `batch.t.buffer`.
 */
export function clearUnwritten(t: Float64Array, x: Uint16Array, y: Uint16Array, p: Uint8Array, written: number): void {
  t.fill(0, written);
  x.fill(0, written);
  y.fill(0, written);
  p.fill(0, written);
}
