import type { BatchWriter } from './batchWriter.ts';
import type { WordFault } from './streamDecoder.ts';
import { alignedTo, wasmEnabled } from './wasmKernels.ts';

/** A Prophesee kernel's two loops over the same words, keeping the same stream state in the kernel. */
export interface WordLoops {
  /** The JS loop from word `from` on (`bytes` aligned to the word size; `offset` is the file offset of bytes[0]). */
  decodeJs(bytes: Uint8Array, from: number, offset: number, out: BatchWriter): WordFault | undefined;
  /** The WebAssembly loop from word `from` on (any alignment); returns where the JS loop must take over (n when done). */
  decodeInWasm(bytes: Uint8Array, from: number, out: BatchWriter): number;
}

/**
 * Decodes the words of `bytes` from `from` on: with WebAssembly enabled, its loop decodes up to a word it does
 * not take alone (a corrupt one), and the JS loop takes over there, on an aligned copy of the rest, to describe
 * it; otherwise the JS loop decodes them all. The skeleton is shared, the loops stay each kernel's own.
 */
export function decodeOnEitherPath(
  loops: WordLoops,
  wordBytes: number,
  bytes: Uint8Array,
  from: number,
  offset: number,
  out: BatchWriter,
): WordFault | undefined {
  if (!wasmEnabled()) return loops.decodeJs(alignedTo(bytes, wordBytes), from, offset, out);
  const stop = loops.decodeInWasm(bytes, from, out);
  if (stop >= Math.floor(bytes.length / wordBytes)) return undefined;
  return loops.decodeJs(bytes.slice(wordBytes * stop), 0, offset + wordBytes * stop, out);
}
