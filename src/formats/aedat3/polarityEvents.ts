import { DecodeError } from '../../errors.ts';
import type { EventBatchBuilder } from '../../events/eventBatchBuilder.ts';

/** State shared across packets: the last time stamp (t never decreases) and invalid events skipped. */
export interface PolarityState {
  lastT: number;
  invalid: number;
}

/**
 * Decodes libcaer polarity events (uint32 data: bit 0 valid, bit 1 polarity, y bits 2..16, x bits 17..31;
 * then int32 time stamp µs; little-endian). Time = `timeBase + ts`, where AEDAT 3.1 sets timeBase to
 * `tsOverflow * 2^31`. Events with the valid bit clear are skipped and counted.
 */
export function readPolarityEvents(
  b: Uint8Array,
  timeBase: number,
  width: number,
  height: number,
  builder: EventBatchBuilder,
  state: PolarityState,
  file: string,
  fileOffset: number,
): void {
  const count = b.length >>> 3;
  builder.reserve(count);
  const T = builder.t;
  const X = builder.x;
  const Y = builder.y;
  const P = builder.p;
  let n = builder.length;
  let last = state.lastT;
  for (let k = 0; k < count * 8; k += 8) {
    const data = (b[k]! | (b[k + 1]! << 8) | (b[k + 2]! << 16) | (b[k + 3]! << 24)) >>> 0;
    const ts = b[k + 4]! | (b[k + 5]! << 8) | (b[k + 6]! << 16) | (b[k + 7]! << 24);
    if ((data & 1) === 0) {
      state.invalid++;
      continue;
    }
    const x = data >>> 17;
    const y = (data >>> 2) & 0x7fff;
    const t = timeBase + ts;
    if (x >= width || y >= height) {
      builder.length = n; // keep the events before the damage
      throw new DecodeError(file, fileOffset + k, `polarity event at x=${x}, y=${y} outside ${width}x${height}`);
    }
    if (ts < 0 || t < last) {
      builder.length = n;
      state.lastT = last;
      throw new DecodeError(file, fileOffset + k + 4, `time stamp ${ts} (time ${t} µs) is negative or before the previous ${last}`);
    }
    T[n] = t;
    X[n] = x;
    Y[n] = y;
    P[n] = (data >>> 1) & 1;
    n++;
    last = t;
  }
  builder.length = n;
  state.lastT = last;
}
