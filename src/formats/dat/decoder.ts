import type { BatchWriter } from '../prophesee/batchWriter.ts';
import type { Geometry } from '../../events/geometry.ts';
import { backwards, outside } from '../prophesee/faults.ts';
import type { WordFault, WordKernel } from '../prophesee/streamDecoder.ts';
import { decodeOnEitherPath, type WordLoops } from '../prophesee/eitherPath.ts';
import { F64, I32, propheseeWasm, wasmEnabled } from '../prophesee/wasmKernels.ts';
import { runWasm } from '../prophesee/wasmRun.ts';

/** DAT event types that carry CD (contrast detection) events: Event2D (ATIS era) and EventCD. */
export const DAT_CD_TYPES = [0, 12];
export const DAT_RECORD_BYTES = 8;
const TWO_32 = 2 ** 32;

/**
 * Prophesee DAT: after the `%` header, one byte event type and one byte event size, then 8-byte records:
 * uint32 t (µs) and a packed word with x in bits 0..13, y in bits 14..27 and p in bit 28 (OpenEB's masks).
 * The 32-bit time wraps every 71.6 minutes; a fall of more than half the range counts as a wrap.
 */
export class DatKernel implements WordKernel, WordLoops {
  readonly wordBytes = DAT_RECORD_BYTES;
  /** The event type and size bytes follow a header; OpenEB reads a headerless file as bare Event2D records. */
  readonly preambleBytes: number;
  readonly unit = 'DAT record';
  private wraps = 0;
  private lastRaw = 0;
  /** The WebAssembly loop copies words into its own memory, so the file source's chunks need no aligning. */
  readonly anyAlignment = wasmEnabled();

  constructor(
    private readonly geometry: Geometry,
    hasHeader: boolean,
  ) {
    this.preambleBytes = hasHeader ? 2 : 0;
  }

  preamble(bytes: Uint8Array, offset: number): WordFault | undefined {
    const type = bytes[0]!;
    const size = bytes[1]!;
    if (!DAT_CD_TYPES.includes(type)) {
      return { offset, what: `DAT event type ${type} is not a CD event type (0 Event2D or 12 EventCD)` };
    }
    if (size !== DAT_RECORD_BYTES) {
      return { offset: offset + 1, what: `DAT event size ${size} for CD events (expected ${DAT_RECORD_BYTES})` };
    }
    return undefined;
  }

  decode(bytes: Uint8Array, offset: number, out: BatchWriter): WordFault | undefined {
    return decodeOnEitherPath(this, DAT_RECORD_BYTES, bytes, 0, offset, out);
  }

  /** The JS loop from record `from` on (bytes aligned to 4). */
  decodeJs(bytes: Uint8Array, from: number, offset: number, out: BatchWriter): WordFault | undefined {
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2);
    const n = words.length >>> 1;
    out.reserve(n - from);
    let i = from;
    const T = out.t;
    const X = out.x;
    const Y = out.y;
    const P = out.p;
    const width = this.geometry.width;
    const height = this.geometry.height;
    let k = out.length;
    let lastRaw = this.lastRaw;
    let high = this.wraps * TWO_32;
    let fault: WordFault | undefined;
    // No calls or allocations in the loop: a bad record leaves it and is described below.
    for (; i < n; i++) {
      const raw = words[2 * i]!;
      const packed = words[2 * i + 1]!;
      const x = packed & 0x3fff;
      const y = (packed >>> 14) & 0x3fff;
      if (x >= width || y >= height) break;
      if (raw < lastRaw) {
        if (lastRaw - raw < TWO_32 / 2) break;
        high += TWO_32;
      }
      lastRaw = raw;
      T[k] = high + raw;
      X[k] = x;
      Y[k] = y;
      P[k] = (packed >>> 28) & 1;
      k++;
    }
    if (i < n) {
      const raw = words[2 * i]!;
      const packed = words[2 * i + 1]!;
      const x = packed & 0x3fff;
      const y = (packed >>> 14) & 0x3fff;
      const what = x >= width || y >= height ? outside(x, y, this.geometry) : backwards('DAT', high + lastRaw, high + raw);
      fault = { offset: offset + 8 * i, what };
    }
    out.length = k;
    this.lastRaw = lastRaw;
    this.wraps = high / TWO_32;
    return fault;
  }

  /** Decodes records from `from` on in WebAssembly; returns where the JS loop must take over (the record count when done). */
  decodeInWasm(bytes: Uint8Array, from: number, out: BatchWriter): number {
    out.reserve(Math.floor(bytes.length / DAT_RECORD_BYTES) - from);
    const wasm = propheseeWasm();
    wasm.times[F64.base] = this.wraps * TWO_32;
    wasm.times[F64.time] = this.lastRaw;
    wasm.ints[I32.width] = this.geometry.width;
    wasm.ints[I32.height] = this.geometry.height;
    const { stop } = runWasm(wasm, wasm.dat, bytes.subarray(DAT_RECORD_BYTES * from), DAT_RECORD_BYTES, out);
    this.wraps = wasm.times[F64.base]! / TWO_32;
    this.lastRaw = wasm.times[F64.time]!;
    return from + stop;
  }
}
