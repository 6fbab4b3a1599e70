import type { BatchWriter } from '../prophesee/batchWriter.ts';
import type { Geometry } from '../../events/geometry.ts';
import type { DecodeStats } from '../types.ts';
import { backwards, EVT2, outside } from '../evt2/decoder.ts';
import type { WordFault, WordKernel } from '../prophesee/streamDecoder.ts';

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
  private readonly typeCounts = new Float64Array(16);
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
      if (i > 0) this.stats.skipped.beforeTimeHigh = (this.stats.skipped.beforeTimeHigh ?? 0) + i;
      if (i === n) return undefined;
    }
    let T = out.t;
    let X = out.x;
    let Y = out.y;
    let P = out.p;
    const width = this.geometry.width;
    const height = this.geometry.height;
    let k = out.length;
    let high = this.timeHigh;
    let last = this.lastT;
    let fault: WordFault | undefined;
    for (; i < n; i++) {
      const w = halves[2 * i + f]!;
      const type = w >>> 28;
      if (type < 2) {
        let mask = halves[2 * i + m]!;
        if (mask === 0) continue;
        const x = (w >>> 11) & 0x7ff;
        const y = w & 0x7ff;
        const lastX = x + 31 - Math.clz32(mask);
        if (lastX >= width || y >= height) {
          fault = { offset: offset + 8 * i, what: outside(lastX, y, this.geometry) };
          break;
        }
        if (k + 32 > T.length) {
          out.length = k;
          out.reserve(Math.max(32, (n - i) * 4));
          T = out.t;
          X = out.x;
          Y = out.y;
          P = out.p;
        }
        const t = high + ((w >>> 22) & 63);
        if (t < last) {
          fault = { offset: offset + 8 * i, what: backwards('EVT 2.1', last, t) };
          break;
        }
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
        if (next < high) {
          fault = { offset: offset + 8 * i, what: backwards('EVT 2.1 TIME_HIGH', high, next) };
          break;
        }
        high = next;
      } else if (type === EVT2.EXT_TRIGGER) {
        const t = high + ((w >>> 22) & 63);
        if (t < last) {
          fault = { offset: offset + 8 * i, what: backwards('EVT 2.1', last, t) };
          break;
        }
        last = t;
        out.pushTrigger(t, (w >>> 8) & 0x1f, w & 1);
        this.stats.triggers++;
      } else if (type >= 0xe) {
        this.typeCounts[type]++;
      } else {
        fault = { offset: offset + 8 * i, what: `unknown EVT 2.1 word type 0x${type.toString(16)}` };
        break;
      }
    }
    out.length = k;
    this.timeHigh = high;
    this.lastT = last;
    for (const type of [0xe, 0xf]) {
      if (this.typeCounts[type]! > 0) this.stats.skipped[SKIPPED_NAMES[type]!] = this.typeCounts[type]!;
    }
    return fault;
  }
}
