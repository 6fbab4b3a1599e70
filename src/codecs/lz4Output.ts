import { decodeLz4Block, WILD_COPY_SLACK } from './lz4Block.ts';

/**
 * Where Lz4FrameDecoder puts decoded bytes and which block decoder it runs: the pure-JS one into a reused
 * JavaScript buffer (Lz4JsOutput), or the WebAssembly one into the kernels' memory (Lz4WasmOutput). Offsets
 * `d` count from the start of the output of one `decode` call; `s` from the start of its input.
 */
export interface Lz4Output {
  /** Called once per decode call with its whole input, before any block. */
  begin(src: Uint8Array): void;
  /** Makes room for `size` output bytes. */
  reserve(size: number): void;
  /** Decodes the compressed block src[s, s + size) at `d`, writing at most `max` bytes; returns the new end. */
  block(src: Uint8Array, s: number, size: number, d: number, max: number, windowStart: number): number;
  /** Copies an uncompressed block src[s, s + size) to `d`. */
  stored(src: Uint8Array, s: number, size: number, d: number): void;
  /** The output [0, end), valid until the next decode call. */
  result(end: number): Uint8Array;
}

/** The pure-JS block decoder writing into one growing JavaScript buffer. */
export class Lz4JsOutput implements Lz4Output {
  private out = new Uint8Array(1 << 16);
  private outView = new DataView(this.out.buffer);
  private srcView: DataView = new DataView(this.out.buffer);

  begin(src: Uint8Array): void {
    this.srcView = new DataView(src.buffer, src.byteOffset, src.byteLength);
  }

  reserve(size: number): void {
    const need = size + WILD_COPY_SLACK;
    if (need <= this.out.length) return;
    let capacity = this.out.length * 2;
    while (capacity < need) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.out);
    this.out = grown;
    this.outView = new DataView(grown.buffer);
  }

  block(src: Uint8Array, s: number, size: number, d: number, max: number, windowStart: number): number {
    return decodeLz4Block(src, this.srcView, s, s + size, this.out, this.outView, d, d + max, windowStart);
  }

  stored(src: Uint8Array, s: number, size: number, d: number): void {
    this.out.set(src.subarray(s, s + size), d);
  }

  result(end: number): Uint8Array {
    return this.out.subarray(0, end);
  }
}
