import { readFileSync } from 'node:fs';

/**
 * The WebAssembly kernels of `kernels.wasm` (C sources in native/lz4/, rebuilt by native/lz4/build.sh): the LZ4
 * block decoder and the DV event struct → struct-of-arrays conversion. The module is compiled and instantiated
 * once per process, synchronously, on first use. Every call runs to completion synchronously, so callers may
 * share the one instance as long as they keep nothing in its memory between two of their own calls.
 *
 * Memory layout (addresses in the module's linear memory; everything below `heapBase` belongs to C):
 * - an event area of EVENT_AREA_CAPACITY events (t f64, x u16, y u16, p u8) for the event collector;
 * - scratch from `scratchBase` on: compressed input and decoded output of the call in progress, grown on demand.
 */
export interface WasmKernels {
  /** Returns the bytes written to `dst`, or a negative error code (lz4ErrorMessage; lz4ErrorPosition is an address). */
  lz4DecodeBlock(src: number, srcSize: number, dst: number, dstCapacity: number, window: number): number;
  lz4ErrorPosition(): number;
  lz4ErrorValue(): number;
  /** Returns how many events were accepted; dvLastTime() gives the last accepted t. */
  dvEventsToArrays(src: number, count: number, t: number, x: number, y: number, p: number, width: number, height: number, last: number): number;
  dvLastTime(): number;
  readonly memory: WebAssembly.Memory;
  readonly eventArea: { readonly t: number; readonly x: number; readonly y: number; readonly p: number; readonly capacity: number };
  readonly scratchBase: number;
  /** A byte view of the whole memory (a new one after the memory grew; views from before are then detached). */
  bytes(): Uint8Array;
  /** Grows the memory so that addresses below `end` are usable. */
  ensure(end: number): void;
}

/** Events the event area holds (106 KB, so that it stays in cache); callers copy them out per packet. */
export const EVENT_AREA_CAPACITY = 1 << 13;
const PAGE = 65536;

let instance: WasmKernels | undefined;

/** Whether decoders use the WebAssembly kernels unless told otherwise (SPIKEFLOW_NO_WASM=1 turns them off). */
export function wasmByDefault(): boolean {
  return process.env.SPIKEFLOW_NO_WASM !== '1';
}

export function wasmKernels(): WasmKernels {
  instance ??= load();
  return instance;
}

function load(): WasmKernels {
  const module = new WebAssembly.Module(readFileSync(new URL('./kernels.wasm', import.meta.url)));
  const wasm = new WebAssembly.Instance(module, {});
  const e = wasm.exports as Record<string, unknown>;
  const memory = e.memory as WebAssembly.Memory;
  const heapBase = (e.__heap_base as WebAssembly.Global).value as number;
  const align = (n: number) => Math.ceil(n / 64) * 64;
  const t = align(heapBase);
  const x = align(t + 8 * EVENT_AREA_CAPACITY);
  const y = align(x + 2 * EVENT_AREA_CAPACITY);
  const p = align(y + 2 * EVENT_AREA_CAPACITY);
  const scratchBase = align(p + EVENT_AREA_CAPACITY);
  let view = new Uint8Array(memory.buffer);
  const kernels: WasmKernels = {
    lz4DecodeBlock: e.lz4_decode_block as WasmKernels['lz4DecodeBlock'],
    lz4ErrorPosition: e.lz4_error_position as WasmKernels['lz4ErrorPosition'],
    lz4ErrorValue: e.lz4_error_value as WasmKernels['lz4ErrorValue'],
    dvEventsToArrays: e.dv_events_to_arrays as WasmKernels['dvEventsToArrays'],
    dvLastTime: e.dv_last_time as WasmKernels['dvLastTime'],
    memory,
    eventArea: { t, x, y, p, capacity: EVENT_AREA_CAPACITY },
    scratchBase,
    bytes() {
      if (view.buffer !== memory.buffer) view = new Uint8Array(memory.buffer);
      return view;
    },
    ensure(end) {
      const have = memory.buffer.byteLength;
      if (end <= have) return;
      if (end > 2 ** 32) throw new RangeError(`wasm kernels: ${end} bytes exceed the 4 GiB of wasm32 memory`);
      // Grow at least by half again, so that a stream of slightly larger packets does not grow every time.
      const want = Math.min(2 ** 32, Math.max(end, have + (have >> 1)));
      memory.grow(Math.ceil((want - have) / PAGE));
    },
  };
  kernels.ensure(scratchBase + (1 << 20));
  return kernels;
}

/** Messages for the negative return codes of lz4DecodeBlock (native/lz4/lz4_block.c), `value` from lz4ErrorValue. */
export function lz4ErrorMessage(code: number, value: number): string {
  switch (code) {
    case -1:
      return 'LZ4 block ends without its last literals';
    case -2:
      return 'LZ4 literal length runs past the block';
    case -3:
      return `LZ4 literals (${value} bytes) run past the block`;
    case -4:
      return 'LZ4 block decodes to more than its maximum size';
    case -5:
      return 'LZ4 match offset cut short';
    case -6:
      return `LZ4 match offset ${value} reaches before the start of the output`;
    case -7:
      return 'LZ4 match length runs past the block';
    case -8:
      return 'empty LZ4 block';
    default:
      return `LZ4 block decoder error ${code}`;
  }
}
