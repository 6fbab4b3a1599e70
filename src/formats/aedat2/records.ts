import { DecodeError } from '../../errors.ts';
import type { EventBatchBuilder } from '../../events/eventBatchBuilder.ts';
import type { Aedat2Layout } from './chips.ts';

const TWO_32 = 4294967296;
const HALF_RANGE = 2147483648;

/** Decoding state that lives across chunks: the 32-bit time-stamp unwrap and the skip counters. */
export interface RecordState {
  lastRaw: number;
  wrap: number;
  aps: number;
  imu: number;
  external: number;
}

/**
 * Decodes whole big-endian records (8 bytes: int32 address, int32 time stamp; AEDAT 1.0: 6 bytes with an
 * int16 address) into the builder. Polarity (DVS) events become events; APS, IMU and external-input events
 * are counted. x is mirrored as jAER displays it: DAVIS `x = width-1 - rawX`, DVS128 `x = 127 - rawX`;
 * y is kept as stored. Time stamps are unsigned 32-bit µs, unwrapped when they fall back by more than
 * half the range; any other step back is a DecodeError (the stream contract wants t non-decreasing).
 */
export function decodeRecords(
  b: Uint8Array,
  recordSize: number,
  layout: Aedat2Layout,
  width: number,
  height: number,
  builder: EventBatchBuilder,
  state: RecordState,
  file: string,
  fileOffset: number,
): void {
  const count = Math.floor(b.length / recordSize);
  builder.reserve(count);
  const T = builder.t;
  const X = builder.x;
  const Y = builder.y;
  const P = builder.p;
  let n = builder.length;
  const tsAt = recordSize - 4;
  const mirror = layout === 'dvs128' ? 127 : width - 1;
  for (let k = 0; k < count * recordSize; k += recordSize) {
    const address =
      recordSize === 8 ? ((b[k]! << 24) | (b[k + 1]! << 16) | (b[k + 2]! << 8) | b[k + 3]!) >>> 0 : (b[k]! << 8) | b[k + 1]!;
    const ts = ((b[k + tsAt]! << 24) | (b[k + tsAt + 1]! << 16) | (b[k + tsAt + 2]! << 8) | b[k + tsAt + 3]!) >>> 0;
    let rawX: number;
    let y: number;
    let p: number;
    if (layout === 'davis') {
      if (address >= 0x80000000) {
        if (((address >>> 10) & 3) === 3) state.imu++;
        else state.aps++;
        continue;
      }
      if (address & 0x400) {
        state.external++;
        continue;
      }
      rawX = (address >>> 12) & 0x3ff;
      y = (address >>> 22) & 0x1ff;
      p = (address >>> 11) & 1;
    } else {
      if (address & 0x8000) {
        state.external++;
        continue;
      }
      rawX = (address >>> 1) & 0x7f;
      y = (address >>> 8) & 0x7f;
      p = 1 - (address & 1);
    }
    const x = mirror - rawX;
    if (x < 0 || x >= width || y >= height) {
      builder.length = n; // keep the events before the damage
      throw new DecodeError(file, fileOffset + k, `address 0x${address.toString(16)} gives x=${x}, y=${y} outside ${width}x${height}`);
    }
    if (ts < state.lastRaw) {
      if (state.lastRaw - ts > HALF_RANGE) state.wrap += TWO_32;
      else {
        builder.length = n;
        throw new DecodeError(file, fileOffset + k + tsAt, `time stamp ${ts} goes back from ${state.lastRaw}`);
      }
    }
    state.lastRaw = ts;
    T[n] = state.wrap + ts;
    X[n] = x;
    Y[n] = y;
    P[n] = p;
    n++;
  }
  builder.length = n;
}
