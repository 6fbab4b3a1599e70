import { readFileSync } from 'node:fs';

/**
 * The fast path's pixel scan in WebAssembly SIMD (`scanBands.wasm`, C source and build script in `native/video/`):
 * 16 pixels per test instead of the 4 of the JavaScript SWAR scan. Each model gets its own instance, whose
 * linear memory holds the two frame slots (current and previous, swapped after every frame instead of copied),
 * the byte bands and the fired-pixel list; the memory is sized once, so the views below stay valid for good.
 * Off when SPIKEFLOW_NO_WASM=1 (or when WebAssembly SIMD is missing): the model then scans in JavaScript.
 */
export class WasmBandScanner {
  /** The frame being processed and the previous one (views on the instance's memory). */
  current: Uint8Array;
  previous: Uint8Array;
  readonly above: Uint8Array;
  readonly below: Uint8Array;
  readonly fired: Uint32Array;
  private readonly n: number;
  private readonly scanBands: (data: number, above: number, below: number, n: number, fired: number) => number;

  /** Whether n pixels fit: the instance needs 8 bytes per pixel within wasm32's 4 GiB (less 1 MiB of slack). */
  static fits(n: number): boolean {
    return 8 * n + (1 << 20) <= 2 ** 32;
  }

  constructor(n: number) {
    const instance = new WebAssembly.Instance(wasmModule(), {});
    const exports = instance.exports as Record<string, unknown>;
    const memory = exports.memory as WebAssembly.Memory;
    this.scanBands = exports.scan_bands as WasmBandScanner['scanBands'];
    const align = (a: number): number => Math.ceil(a / 64) * 64;
    const current = align((exports.__heap_base as WebAssembly.Global).value as number);
    const previous = align(current + n);
    const above = align(previous + n);
    const below = align(above + n);
    const fired = align(below + n);
    const end = fired + 4 * n;
    const have = memory.buffer.byteLength;
    if (end > have) memory.grow(Math.ceil((end - have) / 65536));
    const buffer = memory.buffer;
    this.n = n;
    this.current = new Uint8Array(buffer, current, n);
    this.previous = new Uint8Array(buffer, previous, n);
    this.above = new Uint8Array(buffer, above, n);
    this.below = new Uint8Array(buffer, below, n);
    this.fired = new Uint32Array(buffer, fired, n);
  }

  /** Copies a frame into the current slot and lists the pixels that left their band; returns their number. */
  scan(data: Uint8Array): number {
    this.current.set(data.subarray(0, this.n));
    return this.scanBands(this.current.byteOffset, this.above.byteOffset, this.below.byteOffset, this.n, this.fired.byteOffset);
  }

  /** After a frame: the current slot becomes the previous one. */
  swap(): void {
    const previous = this.previous;
    this.previous = this.current;
    this.current = previous;
  }
}

let compiled: WebAssembly.Module | null | undefined;

/** Whether the model scans with WebAssembly: the module compiles (SIMD present) and SPIKEFLOW_NO_WASM is not 1. */
export function wasmScanAvailable(): boolean {
  if (process.env.SPIKEFLOW_NO_WASM === '1') return false;
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(readFileSync(new URL('./scanBands.wasm', import.meta.url)));
    } catch {
      compiled = null;
    }
  }
  return compiled !== null;
}

function wasmModule(): WebAssembly.Module {
  if (!wasmScanAvailable() || !compiled) throw new Error('scanBands.wasm is not available');
  return compiled;
}
