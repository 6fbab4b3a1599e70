import type { EventBatch } from '../events/eventBatch.ts';
import type { EventBatchBuilder } from '../events/eventBatchBuilder.ts';

/**
 * faery's UDP event layout `t64_x16_y16_on8`: each event is a packed 13-byte record
 *
 *   offset 0  t   uint64 little-endian (µs)
 *   offset 8  x   uint16 little-endian
 *   offset 10 y   uint16 little-endian
 *   offset 12 on  uint8 (1 = ON, 0 = OFF)
 *
 * A datagram is a whole number of records with no header (faery's EVENTS_DTYPE `[("t","<u8"), ("x","<u2"),
 * ("y","<u2"), ("on","?")]` sent with numpy `tobytes()`; facts from aestream/faery python/faery/udp_encoder.py
 * and python/faery/udp_decoder.py: the receiver ignores a trailing partial record and drops a datagram whose
 * first t is below the previous datagram's last t). Our own code, written from those facts.
 */
export const T64_BYTES_PER_EVENT = 13;

/**
 * Writes events `start..end` of `batch` at `offset` of `out` (which must have room for them).
 * t must be an integer in 0..2^53 (checked by the caller's encoder, see checkT64Times).
 */
export function writeT64Records(batch: EventBatch, start: number, end: number, out: Uint8Array, offset: number): void {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const { t, x, y, p } = batch;
  let o = offset;
  for (let i = start; i < end; i++) {
    const ti = t[i];
    const high = Math.floor(ti / 4294967296);
    view.setUint32(o, ti - high * 4294967296, true);
    view.setUint32(o + 4, high, true);
    view.setUint16(o + 8, x[i], true);
    view.setUint16(o + 10, y[i], true);
    out[o + 12] = p[i] ? 1 : 0;
    o += T64_BYTES_PER_EVENT;
  }
}

/** Index of the first event whose t cannot be carried as an unsigned 64-bit integer exactly, or -1. */
export function findBadT64Time(t: Float64Array, start: number, end: number): number {
  for (let i = start; i < end; i++) {
    const ti = t[i];
    if (!(ti >= 0 && ti <= Number.MAX_SAFE_INTEGER && Math.floor(ti) === ti)) return i;
  }
  return -1;
}

/**
 * Appends the whole records of a datagram to `builder` and returns how many were read. Times above 2^53 µs
 * (285 years) would lose precision in a Float64Array; such a datagram is rejected (returns -1, nothing added).
 */
export function readT64Records(datagram: Uint8Array, builder: EventBatchBuilder): number {
  const n = Math.floor(datagram.byteLength / T64_BYTES_PER_EVENT);
  const view = new DataView(datagram.buffer, datagram.byteOffset, datagram.byteLength);
  for (let i = 0, o = 0; i < n; i++, o += T64_BYTES_PER_EVENT) {
    if (view.getUint32(o + 4, true) > 0x1fffff) return -1;
  }
  builder.reserve(n);
  const base = builder.length;
  const { t, x, y, p } = builder;
  for (let i = 0, o = 0; i < n; i++, o += T64_BYTES_PER_EVENT) {
    const k = base + i;
    t[k] = view.getUint32(o, true) + view.getUint32(o + 4, true) * 4294967296;
    x[k] = view.getUint16(o + 8, true);
    y[k] = view.getUint16(o + 10, true);
    p[k] = datagram[o + 12] ? 1 : 0;
  }
  builder.length = base + n;
  return n;
}
