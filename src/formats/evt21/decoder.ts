import type { BatchWriter } from '../prophesee/batchWriter.ts';
import type { Geometry } from '../../events/geometry.ts';
import type { DecodeStats } from '../types.ts';
import { EVT2 } from '../evt2/decoder.ts';
import { backwards, outside } from '../prophesee/faults.ts';
import type { WordFault, WordKernel } from '../prophesee/streamDecoder.ts';
import { addSkippedBeforeTimeHigh, SkippedWordCounts } from '../prophesee/skippedWords.ts';

/**
 * The two EVT 2.1 layouts. In both, one 32-bit half holds EVT 2.0-style fields (type bits 28..31, ts6 bits
 * 22..27, x bits 11..21, y bits 0..10) and the other the 32-pixel valid mask. 'current' puts the mask in the
 * low half (bits 0..31 of the uint64), 'legacy' (OpenEB's Evt21LegacyRaw) in the high half.
 */
export type Evt21Layout = 'current' | 'legacy';

const SKIPPED_NAMES: Record<number, string> = { 0xe: 'others', 0xf: 'continued' };

/**
 * EVT 2.1: 64-bit words; an EVT_POS/EVT_NEG word is a row segment: event at (x + i, y) for each set bit i of
 * its mask, walked from low to high bit as OpenEB does. Words before the first TIME_HIGH are dropped.
 */
export class Evt21Kernel implements WordKernel {
  readonly wordBytes = 8;
  readonly unit = 'EVT 2.1 word';
  private timeHigh = -1;
  private lastT = 0;
  private readonly skippedWords = new SkippedWordCounts(SKIPPED_NAMES);
  /** Events per word in the chunks seen so far (sizes the next reservation). */
  private eventsPerWord = 2;
  private readonly fieldsHalf: number;

  constructor(
    private readonly geometry: Geometry,
    private readonly stats: DecodeStats,
    layout: Evt21Layout,
  ) {
    this.fieldsHalf = layout === 'current' ? 1 : 0;
  }

  decode(bytes: Uint8Array, offset: number, out: BatchWriter): WordFault | undefined {
    const halves = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2);
    const n = halves.length >>> 1;
    const f = this.fieldsHalf;
    const m = 1 - f;
    let i = 0;
    if (this.timeHigh < 0) {
      while (i < n && halves[2 * i + f]! >>> 28 !== EVT2.TIME_HIGH) i++;
      addSkippedBeforeTimeHigh(this.stats, i);
      if (i === n) return undefined;
    }
    out.reserve(Math.min(32 * (n - i), Math.ceil((n - i) * this.eventsPerWord * 1.1) + 32));
    const firstK = out.length;
    const firstI = i;
    let T = out.t;
    let X = out.x;
    let Y = out.y;
    let P = out.p;
    let capacity = T.length;
    const width = this.geometry.width;
    const height = this.geometry.height;
    const counts = this.skippedWords.byType;
    let k = out.length;
    let high = this.timeHigh;
    let last = this.lastT;
    let fault: WordFault | undefined;
    while (i < n) {
      // The hot loop has no calls or allocations; a word it cannot handle alone leaves it (see EVT 2.0).
      for (; i < n; i++) {
        const w = halves[2 * i + f]!;
        const type = w >>> 28;
        if (type < 2) {
          let mask = halves[2 * i + m]!;
          if (mask === 0) continue;
          const x = (w >>> 11) & 0x7ff;
          const y = w & 0x7ff;
          const t = high + ((w >>> 22) & 63);
          if (x + 31 - Math.clz32(mask) >= width || y >= height || t < last || k + 32 > capacity) break;
          last = t;
          while (mask !== 0) {
            T[k] = t;
            X[k] = x + 31 - Math.clz32(mask & -mask);
            Y[k] = y;
            P[k] = type;
            k++;
            mask = (mask & (mask - 1)) >>> 0;
          }
        } else if (type === EVT2.TIME_HIGH) {
          const next = (w & 0x0fffffff) * 64;
          if (next < high) break;
          high = next;
        } else if (type >= 0xe) {
          counts[type]++;
        } else {
          break;
        }
      }
      if (i >= n) break;
      const w = halves[2 * i + f]!;
      const type = w >>> 28;
      const t = high + ((w >>> 22) & 63);
      const at = offset + 8 * i;
      if (type < 2) {
        const x = (w >>> 11) & 0x7ff;
        const y = w & 0x7ff;
        const lastX = x + 31 - Math.clz32(halves[2 * i + m]!);
        if (lastX >= width || y >= height) {
          fault = { offset: at, what: outside(lastX, y, this.geometry) };
          break;
        }
        if (t < last) {
          fault = { offset: at, what: backwards('EVT 2.1', last, t) };
          break;
        }
        // The output is full: grow it, then decode this word again.
        out.length = k;
        out.reserve(Math.max(64, 4 * (n - i)));
        T = out.t;
        X = out.x;
        Y = out.y;
        P = out.p;
        capacity = T.length;
        continue;
      }
      if (type === EVT2.TIME_HIGH) {
        fault = { offset: at, what: backwards('EVT 2.1 TIME_HIGH', high, (w & 0x0fffffff) * 64) };
        break;
      }
      if (type === EVT2.EXT_TRIGGER) {
        if (t < last) {
          fault = { offset: at, what: backwards('EVT 2.1', last, t) };
          break;
        }
        last = t;
        out.pushTrigger(t, (w >>> 8) & 0x1f, w & 1);
        this.stats.triggers++;
        i++;
        continue;
      }
      fault = { offset: at, what: `unknown EVT 2.1 word type 0x${type.toString(16)}` };
      break;
    }
    out.length = k;
    if (i > firstI) this.eventsPerWord = Math.min(32, Math.max(0.05, (k - firstK) / (i - firstI)));
    this.timeHigh = high;
    this.lastT = last;
    this.skippedWords.report(this.stats);
    return fault;
  }
}
