import type { EventBatch } from '../../events/eventBatch.ts';
import type { EncoderOptions, EventEncoder } from '../types.ts';
import { bytesOf, checkEncoderGeometry, MergedTimeOrder, rawHeader, type FieldLimits } from '../prophesee/encoderSupport.ts';
import type { Evt21Layout } from './decoder.ts';

const LIMITS: FieldLimits = { x: 2048, y: 2048, t: 2 ** 34, format: 'EVT 2.1' };

/**
 * EVT 2.1 writer: consecutive events with the same t, y and polarity whose x increase within 32 columns share
 * one 64-bit word (x of the first, a mask of the rest), so decoding gives back the very same order. TIME_HIGH
 * words only when t's bits 6..33 change.
 */
export class Evt21Encoder implements EventEncoder {
  private high = -1;
  private readonly order: MergedTimeOrder;
  private readonly layout: Evt21Layout;

  constructor(private readonly options: EncoderOptions & { readonly layout?: Evt21Layout }) {
    checkEncoderGeometry(options, LIMITS);
    this.order = new MergedTimeOrder(options, LIMITS, 31);
    this.layout = options.layout ?? 'current';
  }

  header(): Uint8Array {
    const name = this.layout === 'legacy' ? 'EVT21_LEGACY' : 'EVT21';
    return rawHeader('2.1', name, this.options, this.options.source);
  }

  encode(batch: EventBatch): Uint8Array {
    this.order.check(batch);
    const { t, x, y, p, length } = batch;
    const tr = batch.triggers;
    const nt = tr?.length ?? 0;
    // Two uint32 halves per word; at most a TIME_HIGH and a data word per event or trigger.
    const halves = new Uint32Array(4 * (length + nt));
    const f = this.layout === 'current' ? 1 : 0;
    const m = 1 - f;
    let k = 0;
    let high = this.high;
    let j = 0;
    let i = 0;
    const timeHigh = (time: number) => {
      const h = Math.floor(time / 64);
      if (h !== high) {
        halves[2 * k + f] = (0x80000000 | h) >>> 0;
        halves[2 * k + m] = 0;
        k++;
        high = h;
      }
    };
    while (i < length || j < nt) {
      if (j < nt && (i >= length || tr!.t[j]! <= t[i]!)) {
        const tj = tr!.t[j]!;
        timeHigh(tj);
        halves[2 * k + f] = (0xa0000000 | ((tj & 63) << 22) | (tr!.id[j]! << 8) | (tr!.value[j]! & 1)) >>> 0;
        halves[2 * k + m] = 0;
        k++;
        j++;
        continue;
      }
      const ti = t[i]!;
      const yi = y[i]!;
      const pi = p[i]!;
      const x0 = x[i]!;
      let mask = 1;
      let last = x0;
      let e = i + 1;
      while (e < length && t[e] === ti && y[e] === yi && p[e] === pi && x[e]! > last && x[e]! < x0 + 32) {
        last = x[e]!;
        mask |= 1 << (last - x0);
        e++;
      }
      timeHigh(ti);
      halves[2 * k + f] = ((pi << 28) | ((ti & 63) << 22) | (x0 << 11) | yi) >>> 0;
      halves[2 * k + m] = mask >>> 0;
      k++;
      i = e;
    }
    this.high = high;
    return bytesOf(halves, 2 * k);
  }

  end(): Uint8Array {
    return new Uint8Array(0);
  }
}
