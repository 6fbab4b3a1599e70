import type { EventBatch } from '../../events/eventBatch.ts';
import type { EncoderOptions, EventEncoder } from '../types.ts';
import { bytesOf, checkEncoderGeometry, MergedTimeOrder, rawHeader, type FieldLimits } from '../prophesee/encoderSupport.ts';

const LIMITS: FieldLimits = { x: 2048, y: 2048, t: 2 ** 34, format: 'EVT 2.0' };

/**
 * EVT 2.0 writer: a TIME_HIGH word only when t's bits 6..33 change, then one CD word per event; triggers are
 * merged in time order as EXT_TRIGGER words.
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
    const words = new Uint32Array(2 * (length + nt));
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
          words[k++] = 0x80000000 | h;
          high = h;
        }
        words[k++] = (0xa0000000 | ((tj & 63) << 22) | (tr!.id[j]! << 8) | (tr!.value[j]! & 1)) >>> 0;
        j++;
      }
      if (i === length) break;
      const h = Math.floor(ti / 64);
      if (h !== high) {
        words[k++] = 0x80000000 | h;
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
