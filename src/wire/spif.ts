import type { EventBatch } from '../events/eventBatch.ts';
import type { EventBatchBuilder } from '../events/eventBatchBuilder.ts';

/**
 * The SPIF event word (SpiNNaker peripheral interface), as AEStream's UDP output sends it: one little-endian
 * 32-bit word per event,
 *
 *   bit  31     1 = no timestamp follows, 0 = a 32-bit timestamp word (µs) follows this word
 *   bits 30..16 x (15 bits)
 *   bit  15     polarity (1 = ON)
 *   bits 14..0  y (15 bits)
 *
 * Facts from SpiNNakerManchester/spif spiffer/README.md (the bit table) and aestream/aestream
 * src/output/dvs_to_udp.cpp (x and y masked to 15 bits, the word written in host order — little-endian on
 * x86/ARM — and, with timestamps, each word followed by the event's 32-bit timestamp). spif itself ignores
 * timestamps ("time models itself"), so the default is to send none; the receiver then stamps arrival time.
 * Our own code, written from those facts.
 */
export const SPIF_MAX_COORDINATE = 0x7fff;
const NO_TIMESTAMP = 0x80000000;
const POLARITY = 0x8000;
const TWO_POW_32 = 4294967296;

/** Bytes per event: one word, or two with timestamps. */
export function spifBytesPerEvent(timestamps: boolean): number {
  return timestamps ? 8 : 4;
}

/** Index of the first event whose x or y does not fit 15 bits, or -1. */
export function findBadSpifCoordinate(batch: EventBatch, start: number, end: number): number {
  const { x, y } = batch;
  for (let i = start; i < end; i++) if (x[i] > SPIF_MAX_COORDINATE || y[i] > SPIF_MAX_COORDINATE) return i;
  return -1;
}

/** Writes events `start..end` as words into `out` from word index `at`; times are sent modulo 2^32. */
export function writeSpifWords(
  batch: EventBatch,
  start: number,
  end: number,
  timestamps: boolean,
  out: Uint32Array,
  at: number,
): void {
  const { t, x, y, p } = batch;
  let w = at;
  if (timestamps) {
    for (let i = start; i < end; i++) {
      out[w++] = ((x[i] << 16) | (p[i] ? POLARITY : 0) | y[i]) >>> 0;
      const ti = t[i];
      out[w++] = ti - Math.floor(ti / TWO_POW_32) * TWO_POW_32;
    }
  } else {
    for (let i = start; i < end; i++) out[w++] = (NO_TIMESTAMP | (x[i] << 16) | (p[i] ? POLARITY : 0) | y[i]) >>> 0;
  }
}

/** Receiver state: unwraps 32-bit timestamps and stamps events that carry none. */
export interface SpifReadState {
  /** Added to received 32-bit timestamps (a multiple of 2^32 after wrap-arounds). */
  wrapOffset: number;
  lastRawTime: number;
  /** Time given to events without a timestamp (the source sets it to the arrival time, µs). */
  arrivalTime: number;
}

export function newSpifReadState(): SpifReadState {
  return { wrapOffset: 0, lastRawTime: -1, arrivalTime: 0 };
}

/**
 * Appends the events of a datagram to `builder`; returns the count, or -1 when a word announces a timestamp
 * that the datagram does not contain (nothing is added then). A timestamp more than 2^31 µs below the previous
 * one is taken as a 32-bit wrap-around, as faery's t32 receiver does.
 */
export function readSpifWords(datagram: Uint8Array, state: SpifReadState, builder: EventBatchBuilder): number {
  const words = datagram.byteLength >>> 2;
  const view = new DataView(datagram.buffer, datagram.byteOffset, datagram.byteLength);
  let n = 0;
  for (let w = 0; w < words; w++) {
    if ((view.getUint32(w * 4, true) & NO_TIMESTAMP) === 0) {
      if (w + 1 >= words) return -1;
      w++;
    }
    n++;
  }
  builder.reserve(n);
  const { t, x, y, p } = builder;
  let k = builder.length;
  for (let w = 0; w < words; w++) {
    const word = view.getUint32(w * 4, true);
    let time = state.arrivalTime;
    if ((word & NO_TIMESTAMP) === 0) {
      const raw = view.getUint32(++w * 4, true);
      if (state.lastRawTime >= 0 && state.lastRawTime - raw > 0x80000000) state.wrapOffset += TWO_POW_32;
      state.lastRawTime = raw;
      time = raw + state.wrapOffset;
    }
    t[k] = time;
    x[k] = (word >>> 16) & SPIF_MAX_COORDINATE;
    y[k] = word & SPIF_MAX_COORDINATE;
    p[k] = word & POLARITY ? 1 : 0;
    k++;
  }
  builder.length = k;
  return n;
}
