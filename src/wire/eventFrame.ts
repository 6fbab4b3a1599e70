import { DecodeError } from '../errors.ts';
import type { EventBatch } from '../events/eventBatch.ts';
import type { SpikeBatch } from '../events/spikeBatch.ts';
import { assertLittleEndianHost } from './endianness.ts';

/**
 * spikeflow's binary frame for event and spike batches on the wire (WebSocket today, NATS later). All numbers
 * little-endian; every array starts at an offset aligned to its element size, so a receiver (Node or a
 * browser) can view the arrays in place.
 *
 *   offset size  field
 *    0     4     magic "SPKF" (bytes 0x53 0x50 0x4B 0x46)
 *    4     1     version = 1
 *    5     1     kind: 1 = events, 2 = spikes
 *    6     1     time coding: 0 = absolute f64 µs, 1 = u32 µs deltas (t[0] - tFirst, then t[i] - t[i-1])
 *    7     1     name length N (spikes: UTF-8 population name, at most 255 bytes; events: 0)
 *    8     4     width  u32 (events: sensor width; spikes: 0)
 *   12     4     height u32 (events: sensor height; spikes: 0)
 *   16     4     count  u32
 *   20     4     reserved, 0
 *   24     8     tFirst f64 µs (0 when count = 0)
 *   32     8     tLast  f64 µs (0 when count = 0)
 *   40     8     until  f64 µs (spikes: the batch is complete up to here; events: equal to tLast)
 *   48     N     name, then zero padding to a multiple of 8
 *   then   t     count × f64, or count × u32 deltas
 *   events:      x count × u16, y count × u16, p count × u8 (1 = ON)
 *   spikes:      neuron count × u32
 *
 * The encoder picks delta coding whenever every t is an integer, t never decreases and each step fits 32 bits
 * (always true for sorted microsecond streams), which makes an event 9 bytes instead of 13.
 */
export const FRAME_MAGIC = 0x464b5053;
export const FRAME_VERSION = 1;
export const FRAME_HEADER_BYTES = 48;
export const FRAME_KIND_EVENTS = 1;
export const FRAME_KIND_SPIKES = 2;
const CODING_ABSOLUTE = 0;
const CODING_DELTA = 1;

assertLittleEndianHost();

export type DecodedFrame =
  | { readonly kind: 'events'; readonly events: EventBatch }
  | { readonly kind: 'spikes'; readonly spikes: SpikeBatch };

export function encodeEventFrame(batch: EventBatch): Uint8Array {
  const n = batch.length;
  const delta = canDeltaCode(batch.t, n);
  const tBytes = n * (delta ? 4 : 8);
  const frame = new Uint8Array(FRAME_HEADER_BYTES + tBytes + n * 5);
  writeHeader(frame, FRAME_KIND_EVENTS, delta, 0, batch.width, batch.height, batch.t, n, n > 0 ? batch.t[n - 1] : 0);
  let o = FRAME_HEADER_BYTES;
  writeTimes(frame, o, batch.t, n, delta);
  o += tBytes;
  new Uint16Array(frame.buffer, o, n).set(batch.x.subarray(0, n));
  o += n * 2;
  new Uint16Array(frame.buffer, o, n).set(batch.y.subarray(0, n));
  o += n * 2;
  frame.set(batch.p.subarray(0, n), o);
  return frame;
}

export function encodeSpikeFrame(spikes: SpikeBatch): Uint8Array {
  const n = spikes.length;
  const name = new TextEncoder().encode(spikes.population);
  if (name.length > 255) throw new RangeError(`population name is ${name.length} bytes long (at most 255 fit a frame)`);
  const nameBytes = Math.ceil(name.length / 8) * 8;
  const delta = canDeltaCode(spikes.t, n);
  const tBytes = n * (delta ? 4 : 8);
  const frame = new Uint8Array(FRAME_HEADER_BYTES + nameBytes + tBytes + n * 4);
  writeHeader(frame, FRAME_KIND_SPIKES, delta, name.length, 0, 0, spikes.t, n, spikes.until);
  frame.set(name, FRAME_HEADER_BYTES);
  let o = FRAME_HEADER_BYTES + nameBytes;
  writeTimes(frame, o, spikes.t, n, delta);
  o += tBytes;
  new Uint32Array(frame.buffer, o, n).set(spikes.neuron.subarray(0, n));
  return frame;
}

/** Decodes one frame (copying it when it is not 8-byte aligned); throws a DecodeError naming `source`. */
export function decodeFrame(bytes: Uint8Array, source = 'frame'): DecodedFrame {
  // A copy into a fresh buffer (not `slice`, which is a view for a Node Buffer).
  const frame = bytes.byteOffset % 8 === 0 ? bytes : new Uint8Array(bytes);
  if (frame.byteLength < FRAME_HEADER_BYTES) throw new DecodeError(source, frame.byteLength, 'a 48-byte frame header');
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  if (view.getUint32(0, true) !== FRAME_MAGIC) throw new DecodeError(source, 0, 'the magic "SPKF"');
  if (frame[4] !== FRAME_VERSION) throw new DecodeError(source, 4, `frame version ${FRAME_VERSION} (got ${frame[4]})`);
  const kind = frame[5];
  const coding = frame[6];
  if (coding !== CODING_ABSOLUTE && coding !== CODING_DELTA) throw new DecodeError(source, 6, `time coding 0 or 1 (got ${coding})`);
  const nameLength = frame[7];
  const width = view.getUint32(8, true);
  const height = view.getUint32(12, true);
  const n = view.getUint32(16, true);
  const tFirst = view.getFloat64(24, true);
  const until = view.getFloat64(40, true);
  const nameBytes = Math.ceil(nameLength / 8) * 8;
  const tBytes = n * (coding === CODING_DELTA ? 4 : 8);
  const rest = kind === FRAME_KIND_EVENTS ? n * 5 : kind === FRAME_KIND_SPIKES ? n * 4 : -1;
  if (rest < 0) throw new DecodeError(source, 5, `frame kind 1 (events) or 2 (spikes) (got ${kind})`);
  const expected = FRAME_HEADER_BYTES + nameBytes + tBytes + rest;
  if (frame.byteLength !== expected) {
    throw new DecodeError(source, Math.min(frame.byteLength, expected), `a frame of ${expected} bytes for ${n} items (got ${frame.byteLength})`);
  }
  let o = frame.byteOffset + FRAME_HEADER_BYTES + nameBytes;
  const t = readTimes(frame.buffer, o, n, coding === CODING_DELTA, tFirst);
  o += tBytes;
  if (kind === FRAME_KIND_SPIKES) {
    const population = new TextDecoder().decode(frame.subarray(FRAME_HEADER_BYTES, FRAME_HEADER_BYTES + nameLength));
    const neuron = new Uint32Array(frame.buffer.slice(o, o + n * 4));
    return { kind: 'spikes', spikes: { t, neuron, length: n, population, until } };
  }
  const x = new Uint16Array(frame.buffer.slice(o, o + n * 2));
  const y = new Uint16Array(frame.buffer.slice(o + n * 2, o + n * 4));
  const p = new Uint8Array(frame.buffer.slice(o + n * 4, o + n * 5));
  return { kind: 'events', events: { t, x, y, p, length: n, width, height } };
}

function canDeltaCode(t: Float64Array, n: number): boolean {
  let previous = n > 0 ? t[0] : 0;
  for (let i = 0; i < n; i++) {
    const ti = t[i];
    const step = ti - previous;
    if (!(step >= 0 && step <= 0xffffffff) || Math.floor(ti) !== ti) return false;
    previous = ti;
  }
  return true;
}

function writeHeader(
  frame: Uint8Array,
  kind: number,
  delta: boolean,
  nameLength: number,
  width: number,
  height: number,
  t: Float64Array,
  n: number,
  until: number,
): void {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  view.setUint32(0, FRAME_MAGIC, true);
  frame[4] = FRAME_VERSION;
  frame[5] = kind;
  frame[6] = delta ? CODING_DELTA : CODING_ABSOLUTE;
  frame[7] = nameLength;
  view.setUint32(8, width, true);
  view.setUint32(12, height, true);
  view.setUint32(16, n, true);
  view.setFloat64(24, n > 0 ? t[0] : 0, true);
  view.setFloat64(32, n > 0 ? t[n - 1] : 0, true);
  view.setFloat64(40, until, true);
}

function writeTimes(frame: Uint8Array, offset: number, t: Float64Array, n: number, delta: boolean): void {
  if (!delta) {
    new Float64Array(frame.buffer, offset, n).set(t.subarray(0, n));
    return;
  }
  const out = new Uint32Array(frame.buffer, offset, n);
  let previous = n > 0 ? t[0] : 0;
  for (let i = 0; i < n; i++) {
    out[i] = t[i] - previous;
    previous = t[i];
  }
}

function readTimes(buffer: ArrayBufferLike, offset: number, n: number, delta: boolean, tFirst: number): Float64Array {
  if (!delta) return new Float64Array(buffer.slice(offset, offset + n * 8));
  const steps = new Uint32Array(buffer, offset, n);
  const t = new Float64Array(n);
  let time = tFirst;
  for (let i = 0; i < n; i++) {
    time += steps[i];
    t[i] = time;
  }
  return t;
}
