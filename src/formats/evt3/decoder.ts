import type { BatchWriter } from '../prophesee/batchWriter.ts';
import type { Geometry } from '../../events/geometry.ts';
import type { DecodeStats } from '../types.ts';
import { backwards, outside } from '../prophesee/faults.ts';
import type { WordFault, WordKernel } from '../prophesee/streamDecoder.ts';
import { decodeOnEitherPath, type WordLoops } from '../prophesee/eitherPath.ts';
import { F64, I32, propheseeWasm, wasmEnabled } from '../prophesee/wasmKernels.ts';
import { runWasm } from '../prophesee/wasmRun.ts';
import { addSkippedBeforeTimeHigh, SkippedWordCounts } from '../prophesee/skippedWords.ts';

/** EVT 3.0 word types (bits 12..15), after OpenEB's evt3_event_types.h. */
export const EVT3 = {
  ADDR_Y: 0x0,
  ADDR_X: 0x2,
  VECT_BASE_X: 0x3,
  VECT_12: 0x4,
  VECT_8: 0x5,
  TIME_LOW: 0x6,
  CONTINUED_4: 0x7,
  TIME_HIGH: 0x8,
  EXT_TRIGGER: 0xa,
  IMU: 0xd,
  OTHERS: 0xe,
  CONTINUED_12: 0xf,
} as const;

/** One 24-bit TIME_HIGH/TIME_LOW period (µs). */
export const EVT3_TIME_LOOP = 1 << 24;
/** OpenEB counts a loop when the time base falls by at least this much (the largest base minus 10 periods). */
const LOOP_DROP = ((1 << 12) - 1) * 4096 - (10 << 12);

const SKIPPED_NAMES: Record<number, string> = { 0x7: 'continued4', 0xd: 'imu', 0xe: 'others', 0xf: 'continued12' };

/**
 * EVT 3.0 with OpenEB's semantics: a stateful 16-bit word stream where TIME_HIGH sets time bits 12..23 (and
 * resets the low bits), TIME_LOW bits 0..11, ADDR_Y the row, and ADDR_X or VECT_BASE_X + VECT_12/VECT_8
 * masks emit events. The 24-bit time base wraps every 16.78 s; each wrap adds a loop. Words before the first
 * TIME_HIGH are dropped. (expelliarmus also adds a TIME_LOW wrap count, which is wrong: not reproduced.)
 */
export class Evt3Kernel implements WordKernel, WordLoops {
  readonly wordBytes = 2;
  readonly unit = 'EVT 3.0 word';
  private started = false;
  /** Time base including loops (µs), and the current time. */
  private base = 0;
  private time = 0;
  /** Time of the last event or trigger delivered: t never decreases in a stream. */
  private lastT = 0;
  private y = 0;
  private baseX = 0;
  private pol = 0;
  private readonly skippedWords = new SkippedWordCounts(SKIPPED_NAMES);
  /** Events per word in the chunks seen so far (sizes the next reservation). */
  private eventsPerWord = 1;
  /** The WebAssembly loop copies words into its own memory, so the file source's chunks need no aligning. */
  readonly anyAlignment = wasmEnabled();

  constructor(
    private readonly geometry: Geometry,
    private readonly stats: DecodeStats,
  ) {}

  decode(bytes: Uint8Array, offset: number, out: BatchWriter): WordFault | undefined {
    const n = bytes.length >>> 1;
    let i = 0;
    if (!this.started) {
      // Bytes, not a Uint16Array view: on the WebAssembly path the words may be unaligned.
      while (i < n && bytes[2 * i + 1]! >>> 4 !== EVT3.TIME_HIGH) i++;
      addSkippedBeforeTimeHigh(this.stats, i);
      if (i === n) return undefined;
      this.started = true;
      this.base = ((bytes[2 * i]! | (bytes[2 * i + 1]! << 8)) & 0xfff) * 4096;
      this.time = this.base;
      i++;
    }
    return decodeOnEitherPath(this, 2, bytes, i, offset, out);
  }

  /** The JS loop from word `from` on (bytes aligned to 2). */
  decodeJs(bytes: Uint8Array, from: number, offset: number, out: BatchWriter): WordFault | undefined {
    const words = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 1);
    const n = words.length;
    let i = from;
    // Room for the events this chunk probably holds (the ratio seen so far), checked as we go: reserving one
    // event per word would allocate (and zero) several times the memory the events need.
    out.reserve(Math.ceil((n - i) * this.eventsPerWord * 1.1) + 16);
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
    let time = this.time;
    let last = this.lastT;
    let base = this.base;
    let y = this.y;
    let baseX = this.baseX;
    let pol = this.pol;
    let fault: WordFault | undefined;
    while (i < n) {
      // The hot loop has no calls or allocations (so V8 keeps the arrays in registers): it leaves on a word it
      // cannot handle alone (a trigger, a bad word, a full output), which is dealt with below.
      hot: for (; i < n; i++) {
        const w = words[i]!;
        switch (w >>> 12) {
          case EVT3.ADDR_Y:
            y = w & 0x7ff;
            if (y >= height) break hot;
            break;
          case EVT3.ADDR_X: {
            const x = w & 0x7ff;
            if (k === capacity || x >= width || time < last) break hot;
            last = time;
            T[k] = time;
            X[k] = x;
            Y[k] = y;
            P[k] = (w >>> 11) & 1;
            k++;
            break;
          }
          case EVT3.VECT_BASE_X:
            baseX = w & 0x7ff;
            pol = (w >>> 11) & 1;
            break;
          case EVT3.VECT_12:
          case EVT3.VECT_8: {
            const bits = w >>> 12 === EVT3.VECT_12 ? 12 : 8;
            let mask = w & (bits === 12 ? 0xfff : 0xff);
            if (k + 12 > capacity || time < last) break hot;
            if (baseX + bits > width && mask >>> (baseX < width ? width - baseX : 0) !== 0) break hot;
            last = time;
            while (mask !== 0) {
              T[k] = time;
              X[k] = baseX + 31 - Math.clz32(mask & -mask);
              Y[k] = y;
              P[k] = pol;
              k++;
              mask &= mask - 1;
            }
            baseX += bits;
            break;
          }
          case EVT3.TIME_LOW:
            // Real sensors do send TIME_LOW words that go back a little with no event in between: only the
            // time of events and triggers is checked.
            time = base + (w & 0xfff);
            break;
          case EVT3.TIME_HIGH: {
            let next = Math.floor(base / EVT3_TIME_LOOP) * EVT3_TIME_LOOP + (w & 0xfff) * 4096;
            if (next < base) {
              if (base - next < LOOP_DROP) break hot;
              next += EVT3_TIME_LOOP;
            }
            // A new period starts at its base (low bits 0); a repeated TIME_HIGH (sensors send them as a
            // heartbeat) leaves time where it is instead of moving it back to the base.
            if (next !== base) time = next;
            base = next;
            break;
          }
          case EVT3.CONTINUED_4:
          case EVT3.IMU:
          case EVT3.OTHERS:
          case EVT3.CONTINUED_12:
            counts[w >>> 12]++;
            break;
          default:
            break hot;
        }
      }
      if (i >= n) break;
      const w = words[i]!;
      const type = w >>> 12;
      const at = offset + 2 * i;
      if (type === EVT3.ADDR_X || type === EVT3.VECT_12 || type === EVT3.VECT_8) {
        const x = type === EVT3.ADDR_X ? w & 0x7ff : baseX + 31 - Math.clz32(w & (type === EVT3.VECT_12 ? 0xfff : 0xff));
        if (x >= width) {
          fault = { offset: at, what: outside(x, y, this.geometry) };
          break;
        }
        if (time < last) {
          fault = { offset: at, what: backwards('EVT 3.0', last, time) };
          break;
        }
        // The output is full: grow it, then decode this word again.
        if (k + 12 <= capacity) throw new Error(`EVT 3.0 decoder: word 0x${w.toString(16)} left the hot loop for no reason`);
        out.length = k;
        out.reserve(Math.max(64, n - i + 12));
        T = out.t;
        X = out.x;
        Y = out.y;
        P = out.p;
        capacity = T.length;
        continue;
      }
      if (type === EVT3.ADDR_Y) {
        fault = { offset: at, what: `event row y=${y} lies outside the ${width}x${height} sensor (give --width/--height if the geometry is wrong)` };
        break;
      }
      if (type === EVT3.TIME_HIGH) {
        const next = Math.floor(base / EVT3_TIME_LOOP) * EVT3_TIME_LOOP + (w & 0xfff) * 4096;
        fault = { offset: at, what: backwards('EVT 3.0 TIME_HIGH', base, next) };
        break;
      }
      if (type === EVT3.EXT_TRIGGER) {
        if (time < last) {
          fault = { offset: at, what: backwards('EVT 3.0', last, time) };
          break;
        }
        last = time;
        out.pushTrigger(time, (w >>> 8) & 0xf, w & 1);
        this.stats.triggers++;
        i++;
        continue;
      }
      fault = { offset: at, what: `unknown EVT 3.0 word type 0x${type.toString(16)} (word 0x${w.toString(16)})` };
      break;
    }
    out.length = k;
    if (i > firstI) this.eventsPerWord = Math.min(1, Math.max(0.05, (k - firstK) / (i - firstI)));
    this.time = time;
    this.lastT = last;
    this.base = base;
    this.y = y;
    this.baseX = baseX;
    this.pol = pol;
    this.skippedWords.report(this.stats);
    return fault;
  }

  /** Decodes words from `from` on in WebAssembly; returns where the JS loop must take over (n when done). */
  decodeInWasm(bytes: Uint8Array, from: number, out: BatchWriter): number {
    const wasm = propheseeWasm();
    const { times, ints } = wasm;
    times[F64.base] = this.base;
    times[F64.time] = this.time;
    times[F64.last] = this.lastT;
    ints[I32.y] = this.y;
    ints[I32.baseX] = this.baseX;
    ints[I32.pol] = this.pol;
    ints[I32.width] = this.geometry.width;
    ints[I32.height] = this.geometry.height;
    wasm.counts.fill(0);
    const { stop, triggers } = runWasm(wasm, wasm.evt3, bytes.subarray(2 * from), 2, out);
    this.base = times[F64.base]!;
    this.time = times[F64.time]!;
    this.lastT = times[F64.last]!;
    this.y = ints[I32.y]!;
    this.baseX = ints[I32.baseX]!;
    this.pol = ints[I32.pol]!;
    this.stats.triggers += triggers;
    this.skippedWords.add(wasm.counts);
    this.skippedWords.report(this.stats);
    return from + stop;
  }
}
