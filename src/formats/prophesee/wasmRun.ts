import type { BatchWriter } from './batchWriter.ts';
import { I32, STOPPED, type PropheseeWasm } from './wasmKernels.ts';

/**
 * Runs one of the WebAssembly word loops over the whole words of `bytes` (the caller has loaded the stream state
 * into `wasm`): copies the words into the module slice by slice, and the events (and triggers) out into `out`
 * whenever its output fills and at the end. Returns the index of the word where the JavaScript kernel must take
 * over (a word the loop does not take alone: a corrupt one), or the number of words when all were decoded.
 * Triggers copied out are counted in the returned object.
 */
export function runWasm(
  wasm: PropheseeWasm,
  kernel: (n: number) => number,
  bytes: Uint8Array,
  wordBytes: number,
  out: BatchWriter,
): { stop: number; triggers: number } {
  const total = Math.floor(bytes.length / wordBytes);
  const perCall = Math.floor(wasm.inputBytes / wordBytes);
  const ints = wasm.ints;
  ints[I32.events] = 0;
  ints[I32.triggers] = 0;
  let done = 0;
  let triggers = 0;
  while (done < total) {
    const n = Math.min(perCall, total - done);
    wasm.memory.set(bytes.subarray(done * wordBytes, (done + n) * wordBytes), wasm.input);
    done += kernel(n);
    const stopped = ints[I32.stopped];
    if (stopped === STOPPED.ranOut) continue;
    triggers += flush(wasm, out);
    if (stopped === STOPPED.needsJs) return { stop: done, triggers };
  }
  triggers += flush(wasm, out);
  return { stop: done, triggers };
}

/** Moves the events and triggers in the module's output into `out`; returns the triggers moved. */
function flush(wasm: PropheseeWasm, out: BatchWriter): number {
  const ints = wasm.ints;
  const k = ints[I32.events]!;
  if (k > 0) {
    out.reserve(k);
    const at = out.length;
    out.t.set(wasm.t.subarray(0, k), at);
    out.x.set(wasm.x.subarray(0, k), at);
    out.y.set(wasm.y.subarray(0, k), at);
    out.p.set(wasm.p.subarray(0, k), at);
    out.length = at + k;
    ints[I32.events] = 0;
  }
  const triggers = ints[I32.triggers]!;
  for (let i = 0; i < triggers; i++) out.pushTrigger(wasm.trigT[i]!, wasm.trigId[i]!, wasm.trigValue[i]!);
  ints[I32.triggers] = 0;
  return triggers;
}
