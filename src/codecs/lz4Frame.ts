import { CodecError } from './codecError.ts';
import { encodeLz4Block, lz4BlockBound } from './lz4Block.ts';
import { Lz4JsOutput, type Lz4Output } from './lz4Output.ts';
import { Lz4WasmOutput } from './lz4WasmOutput.ts';
import { wasmByDefault } from './wasmKernels.ts';
import { xxhash32 } from './xxhash32.ts';

const FRAME_MAGIC = 0x184d2204;
/** Skippable frames have magic numbers 0x184D2A50..0x184D2A5F. */
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
const BLOCK_MAX_SIZES: Record<number, number> = { 4: 1 << 16, 5: 1 << 18, 6: 1 << 20, 7: 1 << 22 };

export interface Lz4FrameDecoderOptions {
  /**
   * Decode blocks with the WebAssembly kernel (default: yes, unless SPIKEFLOW_NO_WASM=1) or the pure-JS one.
   * Both give identical bytes and identical errors for corrupt input.
   */
  readonly wasm?: boolean;
}

/**
 * Decoder for the LZ4 frame format (concatenated frames and skippable frames allowed, linked or independent
 * blocks). It reuses one output buffer, so the returned view is valid only until the next `decode` call (with
 * the WebAssembly kernel: until the next call of any decoder using the kernels in this process).
 * The mandatory header checksum is verified; the optional xxHash32 block and content checksums are skipped
 * (for speed: a packet's flatbuffer is checked structurally by the caller), and a dictionary id is refused.
 */
export class Lz4FrameDecoder {
  private readonly out: Lz4Output;

  constructor(options: Lz4FrameDecoderOptions = {}) {
    this.out = (options.wasm ?? wasmByDefault()) ? new Lz4WasmOutput() : new Lz4JsOutput();
  }

  decode(src: Uint8Array): Uint8Array {
    let s = 0;
    let d = 0;
    if (src.length === 0) throw new CodecError(0, 'no LZ4 frame (empty input)');
    this.out.begin(src);
    while (s < src.length) {
      if (s + 4 > src.length) throw new CodecError(s, 'LZ4 frame magic cut short');
      const magic = readU32(src, s);
      if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
        if (s + 8 > src.length) throw new CodecError(s, 'LZ4 skippable frame size cut short');
        s += 8 + readU32(src, s + 4);
        if (s > src.length) throw new CodecError(src.length, 'LZ4 skippable frame runs past the data');
        continue;
      }
      if (magic !== FRAME_MAGIC) {
        throw new CodecError(s, `LZ4 frame magic 0x${magic.toString(16)} (expected 0x184d2204)`);
      }
      [s, d] = this.decodeFrame(src, s + 4, d);
    }
    return this.out.result(d);
  }

  private decodeFrame(src: Uint8Array, s: number, d: number): [number, number] {
    const out = this.out;
    const descriptorStart = s;
    if (s + 3 > src.length) throw new CodecError(s, 'LZ4 frame descriptor cut short');
    const flg = src[s]!;
    const bd = src[s + 1]!;
    if (flg >>> 6 !== 1) throw new CodecError(s, `LZ4 frame version ${flg >>> 6} (expected 1)`);
    if (flg & 0x02 || bd & 0x8f) throw new CodecError(s, 'LZ4 frame descriptor has reserved bits set');
    if (flg & 0x01) throw new CodecError(s, 'LZ4 frames with a dictionary id are not supported');
    const independent = (flg & 0x20) !== 0;
    const blockChecksums = (flg & 0x10) !== 0;
    const hasContentSize = (flg & 0x08) !== 0;
    const contentChecksum = (flg & 0x04) !== 0;
    const blockMax = BLOCK_MAX_SIZES[(bd >>> 4) & 7];
    if (blockMax === undefined) throw new CodecError(s + 1, `LZ4 block maximum size id ${(bd >>> 4) & 7}`);
    s += 2;
    let contentSize = -1;
    if (hasContentSize) {
      if (s + 8 > src.length) throw new CodecError(s, 'LZ4 content size cut short');
      contentSize = readU32(src, s) + readU32(src, s + 4) * 4294967296;
      s += 8;
    }
    if (s >= src.length) throw new CodecError(s, 'LZ4 header checksum missing');
    const expected = (xxhash32(src.subarray(descriptorStart, s)) >>> 8) & 0xff;
    if (src[s] !== expected) throw new CodecError(s, `LZ4 header checksum ${src[s]} (expected ${expected})`);
    s++;
    const frameStart = d;
    for (;;) {
      if (s + 4 > src.length) throw new CodecError(s, 'LZ4 block size cut short (no end mark)');
      const word = readU32(src, s);
      s += 4;
      if (word === 0) break;
      const size = word & 0x7fffffff;
      if (size > blockMax) throw new CodecError(s - 4, `LZ4 block of ${size} bytes exceeds the maximum ${blockMax}`);
      if (s + size > src.length) throw new CodecError(s, `LZ4 block of ${size} bytes runs past the data`);
      // Room for one more block: a content size in the header is not trusted for allocation (it may be corrupt).
      out.reserve(d + blockMax);
      if (word & 0x80000000) {
        out.stored(src, s, size, d);
        d += size;
      } else {
        d = out.block(src, s, size, d, blockMax, independent ? d : frameStart);
      }
      s += size + (blockChecksums ? 4 : 0);
    }
    if (contentChecksum) s += 4;
    if (s > src.length) throw new CodecError(src.length, 'LZ4 checksum cut short');
    if (contentSize >= 0 && d - frameStart !== contentSize) {
      throw new CodecError(s, `LZ4 frame decoded to ${d - frameStart} bytes, its header says ${contentSize}`);
    }
    return [s, d];
  }
}

const ENCODE_BLOCK = 1 << 16;
/** Version 01, independent blocks, no checksums, no content size; blocks of at most 64 KiB. */
const ENCODE_FLG = 0x60;
const ENCODE_BD = 0x40;

/** Compresses bytes into one LZ4 frame (greedy block compressor; blocks that do not shrink are stored raw). */
export function encodeLz4Frame(data: Uint8Array): Uint8Array {
  const blocks = Math.ceil(data.length / ENCODE_BLOCK);
  const out = new Uint8Array(7 + blocks * (4 + lz4BlockBound(ENCODE_BLOCK)) + 4);
  writeU32(out, 0, FRAME_MAGIC);
  out[4] = ENCODE_FLG;
  out[5] = ENCODE_BD;
  out[6] = (xxhash32(out.subarray(4, 6)) >>> 8) & 0xff;
  let d = 7;
  const table = new Int32Array(1 << 14);
  for (let start = 0; start < data.length; start += ENCODE_BLOCK) {
    const end = Math.min(start + ENCODE_BLOCK, data.length);
    const compressedEnd = encodeLz4Block(data, start, end, out, d + 4, table);
    const compressed = compressedEnd - d - 4;
    if (compressed < end - start) {
      writeU32(out, d, compressed);
      d = compressedEnd;
    } else {
      writeU32(out, d, (end - start) | 0x80000000);
      out.set(data.subarray(start, end), d + 4);
      d += 4 + end - start;
    }
  }
  writeU32(out, d, 0);
  return out.slice(0, d + 4);
}

function readU32(b: Uint8Array, i: number): number {
  return (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;
}

function writeU32(b: Uint8Array, i: number, v: number): void {
  b[i] = v & 255;
  b[i + 1] = (v >>> 8) & 255;
  b[i + 2] = (v >>> 16) & 255;
  b[i + 3] = (v >>> 24) & 255;
}
