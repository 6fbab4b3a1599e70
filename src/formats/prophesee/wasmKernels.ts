import { readFileSync } from 'node:fs';

/**
 * The WebAssembly word loops of the Prophesee decoders (`kernels.wasm`, built from native/prophesee/prophesee.c
 * by native/prophesee/build.sh). Compiled and instantiated once per process, synchronously, on first use. The
 * module keeps everything at fixed addresses and never grows its memory, so the views below stay valid; every
 * call runs to completion synchronously, so decoders share the one instance and load their own state into it
 * before each use.
 */
export interface PropheseeWasm {
  /** Decode `n` words (EVT 2.0: 32-bit, EVT 3.0: 16-bit, DAT: 8-byte records) from `input`; return words consumed. */
  readonly evt2: (n: number) => number;
  readonly evt3: (n: number) => number;
  readonly dat: (n: number) => number;
  readonly memory: Uint8Array;
  /** Address and size of the input area. */
  readonly input: number;
  readonly inputBytes: number;
  /** State slots: times (base, time, last) … */
  readonly times: Float64Array;
  /** … small integers (see I32) … */
  readonly ints: Int32Array;
  /** … and skipped words by type. */
  readonly counts: Uint32Array;
  readonly t: Float64Array;
  readonly x: Uint16Array;
  readonly y: Uint16Array;
  readonly p: Uint8Array;
  readonly trigT: Float64Array;
  readonly trigId: Uint8Array;
  readonly trigValue: Uint8Array;
}

/** Slots of `times`. */
export const F64 = { base: 0, time: 1, last: 2 } as const;
/** Slots of `ints` (the C struct's int32 fields, in order). */
export const I32 = { y: 0, baseX: 1, pol: 2, width: 3, height: 4, events: 5, triggers: 6, stopped: 7 } as const;
/** Why a kernel returned: it used all its words, its output is full, or the next word is for the JS kernel. */
export const STOPPED = { ranOut: 0, outputFull: 1, needsJs: 2 } as const;

let instance: PropheseeWasm | undefined;
let override: boolean | undefined;
let fromEnvironment: boolean | undefined;

/**
 * Whether the Prophesee kernels use the WebAssembly loops (asked on every chunk): yes unless SPIKEFLOW_NO_WASM=1
 * (read once per process), or a test chose with `useWasmKernels`.
 */
export function wasmEnabled(): boolean {
  return override ?? (fromEnvironment ??= process.env.SPIKEFLOW_NO_WASM !== '1');
}

/**
 * Forces the WebAssembly (true) or the JS loops (false), also in the middle of a stream: both keep their state
 * in the kernel object, so a stream may switch between chunks. undefined goes back to the environment.
 */
export function useWasmKernels(on: boolean | undefined): void {
  override = on;
}

/** `bytes` itself when it starts at a multiple of `wordBytes` in memory, else an aligned copy (for JS views). */
export function alignedTo(bytes: Uint8Array, wordBytes: number): Uint8Array {
  return bytes.byteOffset % wordBytes === 0 ? bytes : bytes.slice();
}

export function propheseeWasm(): PropheseeWasm {
  instance ??= load();
  return instance;
}

function load(): PropheseeWasm {
  const module = new WebAssembly.Module(readFileSync(new URL('./kernels.wasm', import.meta.url)));
  const e = new WebAssembly.Instance(module, {}).exports as Record<string, unknown>;
  const buffer = (e.memory as WebAssembly.Memory).buffer;
  const at = new Uint32Array(buffer, (e.pf_layout as () => number)(), 12);
  const [state, input, inputBytes, t, x, y, p, capacity, trigT, trigId, trigValue, trigCapacity] = Array.from(at);
  return {
    evt2: e.pf_evt2 as (n: number) => number,
    evt3: e.pf_evt3 as (n: number) => number,
    dat: e.pf_dat as (n: number) => number,
    memory: new Uint8Array(buffer),
    input: input!,
    inputBytes: inputBytes!,
    times: new Float64Array(buffer, state!, 3),
    ints: new Int32Array(buffer, state! + 24, 8),
    counts: new Uint32Array(buffer, state! + 56, 16),
    t: new Float64Array(buffer, t!, capacity!),
    x: new Uint16Array(buffer, x!, capacity!),
    y: new Uint16Array(buffer, y!, capacity!),
    p: new Uint8Array(buffer, p!, capacity!),
    trigT: new Float64Array(buffer, trigT!, trigCapacity!),
    trigId: new Uint8Array(buffer, trigId!, trigCapacity!),
    trigValue: new Uint8Array(buffer, trigValue!, trigCapacity!),
  };
}
