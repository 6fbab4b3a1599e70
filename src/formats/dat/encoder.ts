import { ConfigError } from '../../errors.ts';
import type { EventBatch } from '../../events/eventBatch.ts';
import type { EncoderOptions, EventEncoder } from '../types.ts';
import { checkBatch, checkEncoderGeometry, type FieldLimits } from '../prophesee/encoderSupport.ts';
import { DAT_RECORD_BYTES } from './decoder.ts';

const LIMITS: FieldLimits = { x: 1 << 14, y: 1 << 14, t: Number.MAX_SAFE_INTEGER, format: 'DAT' };
const TWO_32 = 2 ** 32;

/**
 * DAT writer: a `%` header with Width/Height lines, event type 12 (EventCD) and size 8, then one record per
 * event. t is written modulo 2^32; the reader unwraps it, so consecutive events may be at most 2^31 µs apart.
 */
export class DatEncoder implements EventEncoder {
  private lastT = 0;
  private started = false;

  constructor(private readonly options: EncoderOptions) {
    checkEncoderGeometry(options, LIMITS);
  }

  header(): Uint8Array {
    const lines = [
      '% Data file containing EventCD events.',
      '% Version 2',
      `% Width ${this.options.width}`,
      `% Height ${this.options.height}`,
      '% generator spikeflow',
    ];
    const text = new TextEncoder().encode(lines.join('\n') + '\n');
    const out = new Uint8Array(text.length + 2);
    out.set(text);
    out[text.length] = 12;
    out[text.length + 1] = DAT_RECORD_BYTES;
    return out;
  }

  encode(batch: EventBatch): Uint8Array {
    const before = this.lastT;
    this.lastT = checkBatch(batch, this.options, LIMITS, before);
    const { t, x, y, p, length } = batch;
    const words = new Uint32Array(2 * length);
    let prev = before;
    for (let i = 0; i < length; i++) {
      const ti = t[i]!;
      if (!this.started) {
        if (ti >= TWO_32) throw new ConfigError('t[0]', ti, `0..${TWO_32 - 1} µs: the first DAT time stamp is a uint32`);
        this.started = true;
      } else if (ti - prev >= TWO_32 / 2) {
        throw new ConfigError(`t[${i}]`, ti, `<= ${prev + TWO_32 / 2 - 1} µs: DAT's 32-bit time cannot hold a gap of 2^31 µs or more`);
      }
      prev = ti;
      words[2 * i] = ti % TWO_32;
      words[2 * i + 1] = (x[i]! | (y[i]! << 14) | (p[i]! << 28)) >>> 0;
    }
    return new Uint8Array(words.buffer);
  }

  end(): Uint8Array {
    return new Uint8Array(0);
  }
}
