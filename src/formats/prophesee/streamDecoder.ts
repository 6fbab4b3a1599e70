import { DecodeError } from '../../errors.ts';
import { emptyBatch, type EventBatch } from '../../events/eventBatch.ts';
import { BatchWriter } from './batchWriter.ts';
import type { Geometry } from '../../events/geometry.ts';
import type { DecodeStats, DecoderOptions, EventDecoder } from '../types.ts';
import { HeaderSplitter, type HeaderFields } from './headerLines.ts';
import { WordAligner } from './wordAligner.ts';

/** Where a kernel stopped on a bad word: the events before it were written, the stream ends with this. */
export interface WordFault {
  readonly offset: number;
  readonly what: string;
}

/**
 * The format-specific part of a Prophesee decoder: turns aligned whole words into events, keeping its own state
 * (time base, current y…) between calls.
 */
export interface WordKernel {
  /** Bytes per word (2 for EVT 3.0, 4 for EVT 2.0, 8 for EVT 2.1 and DAT records). */
  readonly wordBytes: number;
  /** Bytes between the header and the first word (DAT's event type and size), given once. */
  readonly preambleBytes?: number;
  preamble?(bytes: Uint8Array, offset: number): WordFault | undefined;
  /** Whether decode takes words at any address (else `bytes.byteOffset` is a multiple of wordBytes). */
  readonly anyAlignment?: boolean;
  /** `offset` is the file offset of bytes[0]. */
  decode(bytes: Uint8Array, offset: number, out: BatchWriter): WordFault | undefined;
  /** A name for messages: 'EVT 2.0 word', 'DAT record'. */
  readonly unit: string;
}

export type KernelFactory = (
  fields: HeaderFields,
  options: DecoderOptions,
  stats: DecodeStats,
) => { kernel: WordKernel; geometry: Geometry };

/**
 * Shared skeleton of the Prophesee decoders: splits the `%` header off, aligns words across chunk boundaries,
 * tracks file offsets for errors, and ends the stream with a DecodeError after delivering the events before
 * the damage.
 */
export class PropheseeStreamDecoder implements EventDecoder {
  readonly stats: DecodeStats = { triggers: 0, skipped: {}, header: {} };
  geometry: Geometry | undefined;
  private readonly splitter: HeaderSplitter;
  private kernel: WordKernel | undefined;
  private aligner: WordAligner | undefined;
  private readonly out = new BatchWriter();
  /** File offset of the next byte to be fed (bytes kept by the aligner are before it). */
  private offset = 0;
  private preambleLeft = 0;
  private preamble: Uint8Array | undefined;
  private failure: DecodeError | undefined;

  constructor(
    private readonly options: DecoderOptions,
    private readonly makeKernel: KernelFactory,
  ) {
    this.splitter = new HeaderSplitter(options.file);
  }

  push(chunk: Uint8Array): EventBatch {
    if (this.failure) throw this.failure;
    let data: Uint8Array | undefined = chunk;
    if (!this.kernel) {
      data = this.splitter.push(chunk);
      if (!data) return emptyBatch(this.geometry ?? { width: 1, height: 1 });
      this.begin();
    }
    this.feed(data);
    return this.out.take(this.geometry!);
  }

  end(): EventBatch {
    if (this.failure) throw this.failure;
    if (!this.kernel) {
      const rest = this.splitter.end();
      this.begin();
      this.feed(rest);
    }
    if (this.failure) throw this.failure;
    const partial = this.preambleLeft > 0 ? this.kernel!.preambleBytes! - this.preambleLeft : this.aligner!.pending;
    if (this.preambleLeft > 0 && this.offset > this.splitter.headerBytes) {
      throw new DecodeError(this.options.file, this.splitter.headerBytes, 'file ends inside the event type/size bytes');
    }
    if (partial > 0) {
      throw new DecodeError(
        this.options.file,
        this.offset - partial,
        `truncated ${this.kernel!.unit}: the file ends after ${partial} of its ${this.kernel!.wordBytes} bytes`,
      );
    }
    return this.out.take(this.geometry!);
  }

  private begin(): void {
    const fields = this.splitter.fields;
    Object.assign(this.stats.header, fields);
    const { kernel, geometry } = this.makeKernel(fields, this.options, this.stats);
    this.kernel = kernel;
    this.geometry = geometry;
    this.aligner = new WordAligner(kernel.wordBytes, !kernel.anyAlignment);
    this.offset = this.splitter.headerBytes;
    this.preambleLeft = kernel.preambleBytes ?? 0;
    if (this.preambleLeft > 0) this.preamble = new Uint8Array(this.preambleLeft);
  }

  private feed(data: Uint8Array): void {
    const kernel = this.kernel!;
    if (this.preambleLeft > 0) {
      const n = Math.min(this.preambleLeft, data.length);
      const filled = kernel.preambleBytes! - this.preambleLeft;
      this.preamble!.set(data.subarray(0, n), filled);
      this.preambleLeft -= n;
      this.offset += n;
      data = data.subarray(n);
      if (this.preambleLeft > 0) return;
      const fault = kernel.preamble!(this.preamble!, this.splitter.headerBytes);
      if (fault) return this.fail(fault);
    }
    const wordStart = this.offset - this.aligner!.pending;
    const words = this.aligner!.take(data);
    this.offset += data.length;
    if (words.length === 0) return;
    const fault = kernel.decode(words, wordStart, this.out);
    if (fault) this.fail(fault);
  }

  private fail(fault: WordFault): void {
    this.failure = new DecodeError(this.options.file, fault.offset, fault.what);
  }
}
