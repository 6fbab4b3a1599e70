import { CodecError } from './codecError.ts';
import type { Lz4Output } from './lz4Output.ts';
import { lz4ErrorMessage, wasmKernels, type WasmKernels } from './wasmKernels.ts';

/**
 * The WebAssembly block decoder (native/lz4/lz4_block.c). Each decode call copies its compressed input into
 * the kernels' scratch memory once and decodes right after it, so the result is a view of wasm memory: valid
 * until the next call that uses the kernels (any decoder in this process), which suits decoders that consume
 * a packet before reading the next one.
 */
export class Lz4WasmOutput implements Lz4Output {
  private readonly k: WasmKernels = wasmKernels();
  private inAt = 0;
  private outAt = 0;

  begin(src: Uint8Array): void {
    const k = this.k;
    this.inAt = k.scratchBase;
    // Output starts 64-byte aligned after the input, so that decoded structs can be read through aligned views.
    this.outAt = k.scratchBase + Math.ceil(src.length / 64) * 64 + 64;
    k.ensure(this.outAt + (1 << 16));
    k.bytes().set(src, this.inAt);
  }

  reserve(size: number): void {
    try {
      this.k.ensure(this.outAt + size);
    } catch (error) {
      // A decompression bomb (LZ4 expands up to ~255x) must end as bad data, not as a RangeError.
      if (!(error instanceof RangeError)) throw error;
      throw new CodecError(0, `LZ4 data decodes to more than the WebAssembly memory can hold (${size} bytes)`, { cause: error });
    }
  }

  block(_src: Uint8Array, s: number, size: number, d: number, max: number, windowStart: number): number {
    const k = this.k;
    const written = k.lz4DecodeBlock(this.inAt + s, size, this.outAt + d, max, this.outAt + windowStart);
    if (written < 0) throw new CodecError(k.lz4ErrorPosition() - this.inAt, lz4ErrorMessage(written, k.lz4ErrorValue()));
    return d + written;
  }

  stored(src: Uint8Array, s: number, size: number, d: number): void {
    this.k.bytes().set(src.subarray(s, s + size), this.outAt + d);
  }

  result(end: number): Uint8Array {
    return this.k.bytes().subarray(this.outAt, this.outAt + end);
  }
}
