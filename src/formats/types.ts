import type { EventBatch } from '../events/eventBatch.ts';
import type { Geometry } from '../events/geometry.ts';

/**
 * What a format folder (`src/formats/<name>/index.ts`) exports. Byte-stream formats provide an incremental
 * decoder that the file source feeds chunk by chunk; random-access formats (HDF5) provide `readFile` instead.
 */
export interface FormatModule {
  /** Short name used by `--format`, `--to` and `info`: 'evt2', 'evt21', 'evt3', 'dat', 'aedat2', … */
  readonly name: string;
  /** File extensions (lower case, with dot) that suggest this format when sniffing is inconclusive. */
  readonly extensions: readonly string[];
  /**
   * Whether the first bytes of a file (up to 4096, fewer for short files) look like this format.
   * Return 'certain' for a magic number or an explicit header line, 'maybe' when only plausible.
   */
  sniff(head: Uint8Array, fileName: string): 'certain' | 'maybe' | 'no';
  createDecoder?(options: DecoderOptions): EventDecoder;
  readFile?(path: string, options: DecoderOptions): AsyncIterable<EventBatch> & { readonly stats?: DecodeStats };
  createEncoder?(options: EncoderOptions): EventEncoder;
  /** Formats that cannot be written as a byte stream (HDF5) write a whole file. */
  writeFile?(path: string, batches: AsyncIterable<EventBatch>, options: EncoderOptions): Promise<void>;
}

export interface DecoderOptions {
  /** Used in DecodeError messages. */
  readonly file: string;
  /** Geometry given by the user; overrides what the header says or is used where it says nothing. */
  readonly width?: number;
  readonly height?: number;
}

export interface DecodeStats {
  /** External trigger events seen (also delivered in batches' `triggers`). */
  triggers: number;
  /** Records of other kinds (IMU, frames, monitoring…) skipped, by kind. */
  skipped: Record<string, number>;
  /** Header key/values as the file states them. */
  header: Record<string, string>;
}

/**
 * An incremental decoder: `push` gets the file's bytes from offset 0 in chunks of any size (down to one byte)
 * and returns the events completed so far; partial records are kept until the next chunk. `end` is called once
 * after the last chunk and throws a DecodeError if a record was cut short. The output must be identical for
 * every chunking of the input.
 */
export interface EventDecoder {
  push(chunk: Uint8Array): EventBatch;
  end(): EventBatch;
  /** Known once the header was read (may be undefined before the first push). */
  readonly geometry: Geometry | undefined;
  readonly stats: DecodeStats;
}

export interface EncoderOptions {
  readonly width: number;
  readonly height: number;
  /** Where the events came from, for header comments. */
  readonly source?: string;
}

/**
 * An incremental encoder: returns the bytes for each batch; `end` returns trailing bytes (tables, footers).
 * It throws a ConfigError naming the value and allowed range for events the format cannot hold
 * (t decreasing, x >= width, y >= height, time or size beyond the format's fields).
 */
export interface EventEncoder {
  header(): Uint8Array;
  encode(batch: EventBatch): Uint8Array;
  end(): Uint8Array;
}
