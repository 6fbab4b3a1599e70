import type { EventBatch } from '../../events/eventBatch.ts';
import type { EncoderOptions, EventEncoder } from '../types.ts';
import { bytesOf, checkEncoderGeometry, MergedTimeOrder, rawHeader, type FieldLimits } from '../prophesee/encoderSupport.ts';

const LIMITS: FieldLimits = { x: 2048, y: 2048, t: Number.MAX_SAFE_INTEGER, format: 'EVT 2.0' };

/** TIME_HIGH values (units of 64 µs) in the 28-bit field; a reader counts a fall of more than half as a wrap. */
const TIME_HIGH_RANGE = 2 ** 28;
/** Largest rise between two TIME_HIGH words that a reader cannot take for a wrap. */
const MAX_RISE = TIME_HIGH_RANGE / 2 - 1;
/** Step of the TIME_HIGH words written across a longer gap. */
const GAP_STEP = TIME_HIGH_RANGE / 4;

/** Writes at `k` the TIME_HIGH words that take a reader from `high` to `h`; returns the next index. */
function writeTimeHigh(words: Uint32Array, k: number, high: number, h: number): number {
  for (let from = Math.max(high, 0); h - from > MAX_RISE; ) {
    from += GAP_STEP;
    words[k++] = 0x80000000 + (from % TIME_HIGH_RANGE);
  }
  words[k++] = 0x80000000 + (h % TIME_HIGH_RANGE);
  return k;
}

/**
 * EVT 2.0 writer: a TIME_HIGH word only when t's bits 6..33 change, then one CD word per event; triggers are
 * merged in time order as EXT_TRIGGER words. Times past the 34-bit range wrap the field, as a camera's do; a
 * gap too long for a reader to tell from a wrap (2^33 µs, 2.4 h) gets TIME_HIGH words every 2^32 µs, so any
 * time is representable.
 */
export class Evt2Encoder implements EventEncoder {
  private high = -1;
  private readonly order: MergedTimeOrder;

  constructor(private readonly options: EncoderOptions) {
    checkEncoderGeometry(options, LIMITS);
    this.order = new MergedTimeOrder(options, LIMITS, 31);
  }

  header(): Uint8Array {
    return rawHeader('2.0', 'EVT2', this.options, this.options.source);
  }

  encode(batch: EventBatch): Uint8Array {
    this.order.check(batch);
    const { t, x, y, p, length } = batch;
    const tr = batch.triggers;
    const nt = tr?.length ?? 0;
    const lastT = Math.max(length > 0 ? t[length - 1]! : 0, nt > 0 ? tr!.t[nt - 1]! : 0);
    const gapWords = Math.ceil((Math.floor(lastT / 64) - Math.max(this.high, 0)) / GAP_STEP) + 1;
    const words = new Uint32Array(2 * (length + nt) + Math.max(0, gapWords));
    let k = 0;
    let high = this.high;
    let j = 0;
    for (let i = 0; i <= length; i++) {
      const ti = i < length ? t[i]! : Infinity;
      // Triggers at or before this event go first, so TIME_HIGH never goes back.
      while (j < nt && tr!.t[j]! <= ti) {
        const tj = tr!.t[j]!;
        const h = Math.floor(tj / 64);
        if (h !== high) {
          k = writeTimeHigh(words, k, high, h);
          high = h;
        }
        words[k++] = (0xa0000000 | ((tj & 63) << 22) | (tr!.id[j]! << 8) | (tr!.value[j]! & 1)) >>> 0;
        j++;
      }
      if (i === length) break;
      const h = Math.floor(ti / 64);
      if (h !== high) {
        k = writeTimeHigh(words, k, high, h);
        high = h;
      }
      words[k++] = ((p[i]! << 28) | ((ti & 63) << 22) | (x[i]! << 11) | y[i]!) >>> 0;
    }
    this.high = high;
    return bytesOf(words, k);
  }

  end(): Uint8Array {
    return new Uint8Array(0);
  }
}
