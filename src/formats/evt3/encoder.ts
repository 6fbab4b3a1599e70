import type { EventBatch } from '../../events/eventBatch.ts';
import type { EncoderOptions, EventEncoder } from '../types.ts';
import { bytesOf, checkEncoderGeometry, MergedTimeOrder, rawHeader, type FieldLimits } from '../prophesee/encoderSupport.ts';
import { EVT3, EVT3_TIME_LOOP } from './decoder.ts';

const LIMITS: FieldLimits = { x: 2048, y: 2048, t: Number.MAX_SAFE_INTEGER, format: 'EVT 3.0' };
const PERIODS_PER_LOOP = 4096;

/**
 * EVT 3.0 writer. Time words only on change (TIME_HIGH is always followed by a TIME_LOW, so the file reads
 * the same whether a reader resets the low bits on TIME_HIGH or not), ADDR_Y only when the row changes.
 * Runs of at least three consecutive events with the same t, y and polarity and increasing x become
 * VECT_BASE_X + VECT_12 masks (VECT_8 for a last window that fits in 8 columns): decoding gives back the very
 * same order. Crossing a 24-bit time loop writes TIME_HIGH 0xFFF then 0x000, which every reader counts as one
 * loop, so any time range is representable.
 */
export class Evt3Encoder implements EventEncoder {
  /** Absolute 4096-µs period of the last TIME_HIGH written (-1: none yet), and the last time written. */
  private period = -1;
  private time = -1;
  private y = -1;
  private readonly order: MergedTimeOrder;
  private words = new Uint16Array(0);
  private k = 0;

  constructor(private readonly options: EncoderOptions) {
    checkEncoderGeometry(options, LIMITS);
    this.order = new MergedTimeOrder(options, LIMITS, 15);
  }

  header(): Uint8Array {
    return rawHeader('3.0', 'EVT3', this.options, this.options.source);
  }

  encode(batch: EventBatch): Uint8Array {
    const lastTime = this.order.check(batch);
    const { t, x, y, p, length } = batch;
    const tr = batch.triggers;
    const nt = tr?.length ?? 0;
    const loopsCrossed = Math.floor(lastTime / EVT3_TIME_LOOP) - Math.floor(Math.max(this.period, 0) / PERIODS_PER_LOOP) + 1;
    this.words = new Uint16Array(4 * (length + nt) + 3 * loopsCrossed + 8);
    this.k = 0;
    let i = 0;
    let j = 0;
    while (i < length || j < nt) {
      if (j < nt && (i >= length || tr!.t[j]! <= t[i]!)) {
        this.setTime(tr!.t[j]!);
        this.words[this.k++] = (EVT3.EXT_TRIGGER << 12) | (tr!.id[j]! << 8) | (tr!.value[j]! & 1);
        j++;
        continue;
      }
      const ti = t[i]!;
      const yi = y[i]!;
      const pi = p[i]!;
      this.setTime(ti);
      if (yi !== this.y) {
        this.words[this.k++] = (EVT3.ADDR_Y << 12) | yi;
        this.y = yi;
      }
      // The run of events that a vector could carry.
      let end = i + 1;
      while (end < length && t[end] === ti && y[end] === yi && p[end] === pi && x[end]! > x[end - 1]!) end++;
      i = this.writeRun(x, i, end, pi);
    }
    return bytesOf(this.words, this.k);
  }

  end(): Uint8Array {
    return new Uint8Array(0);
  }

  /** Writes events start..end-1 (same t, y, p; x increasing); returns end. */
  private writeRun(x: Uint16Array, start: number, end: number, pol: number): number {
    const words = this.words;
    let i = start;
    while (i < end) {
      let inWindow = 1;
      while (i + inWindow < end && x[i + inWindow]! < x[i]! + 12) inWindow++;
      if (inWindow < 3) {
        words[this.k++] = (EVT3.ADDR_X << 12) | (pol << 11) | x[i]!;
        i++;
        continue;
      }
      let base = x[i]!;
      words[this.k++] = (EVT3.VECT_BASE_X << 12) | (pol << 11) | base;
      while (i < end && x[i]! < base + 12) {
        let mask = 0;
        let e = i;
        while (e < end && x[e]! < base + 12) {
          mask |= 1 << (x[e]! - base);
          e++;
        }
        const vect8 = e === end && mask < 256;
        words[this.k++] = vect8 ? (EVT3.VECT_8 << 12) | mask : (EVT3.VECT_12 << 12) | mask;
        base += vect8 ? 8 : 12;
        i = e;
      }
    }
    return end;
  }

  /** Writes the TIME_HIGH / TIME_LOW words that bring the reader's time to t. */
  private setTime(t: number): void {
    if (t === this.time) return;
    const words = this.words;
    const period = Math.floor(t / 4096);
    if (period !== this.period) {
      if (this.period < 0) {
        words[this.k++] = EVT3.TIME_HIGH << 12;
        this.period = 0;
      }
      while (Math.floor(this.period / PERIODS_PER_LOOP) < Math.floor(period / PERIODS_PER_LOOP)) {
        const loopStart = Math.floor(this.period / PERIODS_PER_LOOP) * PERIODS_PER_LOOP;
        words[this.k++] = (EVT3.TIME_HIGH << 12) | 0xfff;
        words[this.k++] = EVT3.TIME_HIGH << 12;
        this.period = loopStart + PERIODS_PER_LOOP;
      }
      if (period !== this.period || this.time < 0) {
        words[this.k++] = (EVT3.TIME_HIGH << 12) | (period & 0xfff);
        this.period = period;
      }
      words[this.k++] = (EVT3.TIME_LOW << 12) | (t & 0xfff);
    } else {
      words[this.k++] = (EVT3.TIME_LOW << 12) | (t & 0xfff);
    }
    this.time = t;
  }
}
