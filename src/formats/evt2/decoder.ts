import type { BatchWriter } from '../prophesee/batchWriter.ts';
import type { Geometry } from '../../events/geometry.ts';
import type { DecodeStats } from '../types.ts';
import { backwards, outside } from '../prophesee/faults.ts';
import type { WordFault, WordKernel } from '../prophesee/streamDecoder.ts';
import { decodeOnEitherPath, type WordLoops } from '../prophesee/eitherPath.ts';
import { F64, I32, propheseeWasm, wasmEnabled } from '../prophesee/wasmKernels.ts';
import { runWasm } from '../prophesee/wasmRun.ts';
import { addSkippedBeforeTimeHigh, SkippedWordCounts } from '../prophesee/skippedWords.ts';

/** EVT 2.0 word types (bits 28..31), after OpenEB's evt2_event_types.h. */
export const EVT2 = { CD_OFF: 0x0, CD_ON: 0x1, TIME_HIGH: 0x8, EXT_TRIGGER: 0xa, IMU: 0xd, OTHER: 0xe, CONTINUED: 0xf } as const;

const SKIPPED_NAMES: Record<number, string> = { 0xd: 'imu', 0xe: 'other', 0xf: 'continued' };

/** The 34-bit time of EVT 2.0 (28-bit TIME_HIGH << 6 | 6-bit LSB) wraps after this many µs (~4.77 h). */
export const EVT2_TIME_LOOP = 2 ** 34;
/** A TIME_HIGH falling by more than this (half the range) is a wrap, as OpenEB counts it; less is corruption. */
export const EVT2_LOOP_DROP = 2 ** 33;

/** The time of TIME_HIGH word `w` after time base `high` (-1 before the first): wraps of the 34-bit time added. */
export function evt2TimeHigh(w: number, high: number): number {
  const next = (high < 0 ? 0 : Math.floor(high / EVT2_TIME_LOOP) * EVT2_TIME_LOOP) + (w & 0x0fffffff) * 64;
  return next < high && high - next > EVT2_LOOP_DROP ? next + EVT2_TIME_LOOP : next;
}

/**
 * EVT 2.0: 32-bit words; CD words carry x, y and the 6 low bits of time, TIME_HIGH words bits 6..33.
 * Words before the first TIME_HIGH have no time base and are dropped, as OpenEB does. The 34-bit time wraps
 * (every 4.77 h): a TIME_HIGH going back by more than half the range starts a new loop.
 */
export class Evt2Kernel implements WordKernel, WordLoops {
  readonly wordBytes = 4;
  readonly unit = 'EVT 2.0 word';
  private timeHigh = -1;
  /** Time of the last event: the stream contract says t never decreases, so a CD word going back is corrupt. */
  private lastT = 0;
  private readonly skippedWords = new SkippedWordCounts(SKIPPED_NAMES);
  /** The WebAssembly loop copies words into its own memory, so the file source's chunks need no aligning. */
  readonly anyAlignment = wasmEnabled();

  constructor(
    private readonly geometry: Geometry,
    private readonly stats: DecodeStats,
  ) {}

  decode(bytes: Uint8Array, offset: number, out: BatchWriter): WordFault | undefined {
    const n = bytes.length >>> 2;
    let i = 0;
    if (this.timeHigh < 0) {
      // Bytes, not a Uint32Array view: on the WebAssembly path the words may be unaligned.
      while (i < n && bytes[4 * i + 3]! >>> 4 !== EVT2.TIME_HIGH) i++;
      addSkippedBeforeTimeHigh(this.stats, i);
      if (i === n) return undefined;
    }
    out.reserve(n - i);
    return decodeOnEitherPath(this, 4, bytes, i, offset, out);
  }

  /** The JS loop from word `from` on (bytes aligned to 4). */
  decodeJs(bytes: Uint8Array, from: number, offset: number, out: BatchWriter): WordFault | undefined {
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2);
    const n = words.length;
    let i = from;
    out.reserve(n - i);
    const T = out.t;
    const X = out.x;
    const Y = out.y;
    const P = out.p;
    const width = this.geometry.width;
    const height = this.geometry.height;
    let k = out.length;
    let high = this.timeHigh;
    let last = this.lastT;
    let fault: WordFault | undefined;
    while (i < n) {
      // The hot loop handles CD and TIME_HIGH words only and has no calls or allocations, so V8 keeps the
      // arrays in registers; any other word (or a bad one) leaves it and is handled below.
      for (; i < n; i++) {
        const w = words[i]!;
        const type = w >>> 28;
        if (type < 2) {
          const x = (w >>> 11) & 0x7ff;
          const y = w & 0x7ff;
          const t = high + ((w >>> 22) & 63);
          if (x >= width || y >= height || t < last) break;
          last = t;
          T[k] = t;
          X[k] = x;
          Y[k] = y;
          P[k] = type;
          k++;
        } else if (type === EVT2.TIME_HIGH) {
          const next = evt2TimeHigh(w, high);
          if (next < high) break;
          high = next;
        } else {
          break;
        }
      }
      if (i >= n) break;
      const w = words[i]!;
      const type = w >>> 28;
      const t = high + ((w >>> 22) & 63);
      if (type < 2) {
        const x = (w >>> 11) & 0x7ff;
        const y = w & 0x7ff;
        const what = x >= width || y >= height ? outside(x, y, this.geometry) : backwards('EVT 2.0', last, t);
        fault = { offset: offset + 4 * i, what };
        break;
      } else if (type === EVT2.TIME_HIGH) {
        fault = { offset: offset + 4 * i, what: backwards('EVT 2.0 TIME_HIGH', high, evt2TimeHigh(w, high)) };
        break;
      } else if (type === EVT2.EXT_TRIGGER) {
        if (t < last) {
          fault = { offset: offset + 4 * i, what: backwards('EVT 2.0', last, t) };
          break;
        }
        last = t;
        out.pushTrigger(t, (w >>> 8) & 0x1f, w & 1);
        this.stats.triggers++;
      } else if (type >= 0xd) {
        this.skippedWords.byType[type]++;
      } else {
        fault = { offset: offset + 4 * i, what: `unknown EVT 2.0 word type 0x${type.toString(16)} (word 0x${w.toString(16)})` };
        break;
      }
      i++;
    }
    out.length = k;
    this.timeHigh = high;
    this.lastT = last;
    this.skippedWords.report(this.stats);
    return fault;
  }

  /** Decodes words from `from` on in WebAssembly; returns where the JS loop must take over (n when done). */
  decodeInWasm(bytes: Uint8Array, from: number, out: BatchWriter): number {
    const wasm = propheseeWasm();
    wasm.times[F64.base] = this.timeHigh;
    wasm.times[F64.last] = this.lastT;
    wasm.ints[I32.width] = this.geometry.width;
    wasm.ints[I32.height] = this.geometry.height;
    wasm.counts.fill(0);
    const { stop, triggers } = runWasm(wasm, wasm.evt2, bytes.subarray(4 * from), 4, out);
    this.timeHigh = wasm.times[F64.base]!;
    this.lastT = wasm.times[F64.last]!;
    this.stats.triggers += triggers;
    this.skippedWords.add(wasm.counts);
    this.skippedWords.report(this.stats);
    return from + stop;
  }
}
