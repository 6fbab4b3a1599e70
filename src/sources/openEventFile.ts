import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { DecodeError, SpikeflowError } from '../errors.ts';
import type { EventBatch } from '../events/eventBatch.ts';
import type { Geometry } from '../events/geometry.ts';
import { detectFormat, formatByName } from '../formats/registry.ts';
import type { DecodeStats, FormatModule } from '../formats/types.ts';

export interface OpenEventFileOptions {
  /** Format name; detected from the header when absent. */
  readonly format?: string;
  readonly width?: number;
  readonly height?: number;
  /** Bytes read per chunk (default 1 MiB). Decoding is identical for every chunk size. */
  readonly chunkSize?: number;
}

/** An event file being read: its format, and its batches as a pull-paced async iterable. */
export interface EventFile {
  readonly path: string;
  readonly format: FormatModule;
  /** Counters filled in while reading (triggers, skipped records, header keys). */
  readonly stats: () => DecodeStats;
  /** Known after the first batch (the header) was read. */
  readonly geometry: () => Geometry | undefined;
  /** Each call reads the file anew; breaking out of the loop closes the file. */
  batches(): AsyncGenerator<EventBatch, void, undefined>;
}

export const DEFAULT_CHUNK_SIZE = 1 << 20;
const SNIFF_BYTES = 4096;

export async function openEventFile(path: string, options: OpenEventFileOptions = {}): Promise<EventFile> {
  const format = options.format ? formatByName(options.format) : await sniffFile(path);
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (!Number.isInteger(chunkSize) || chunkSize < 1) {
    throw new SpikeflowError(`chunkSize: ${chunkSize} is not allowed (an integer >= 1)`);
  }
  const decoderOptions = { file: path, width: options.width, height: options.height };
  let stats: DecodeStats = { triggers: 0, skipped: {}, header: {} };
  let geometry: Geometry | undefined;

  const readFile = format.readFile?.bind(format);
  const createDecoder = format.createDecoder?.bind(format);
  if (!readFile && !createDecoder) throw new DecodeError(path, 0, `format ${format.name} cannot be read`);

  /** Random-access formats (HDF5) read the whole file their own way. */
  async function* wholeFile(read: NonNullable<typeof readFile>): AsyncGenerator<EventBatch, void, undefined> {
    const source = read(path, decoderOptions);
    for await (const batch of source) {
      geometry = { width: batch.width, height: batch.height };
      if (source.stats) stats = source.stats;
      yield batch;
    }
    if (source.stats) stats = source.stats;
  }

  /** Byte-stream formats: chunk by chunk through the incremental decoder. */
  async function* chunks(create: NonNullable<typeof createDecoder>): AsyncGenerator<EventBatch, void, undefined> {
    const decoder = create(decoderOptions);
    stats = decoder.stats;
    const handle = await open(path, 'r');
    try {
      // A fresh buffer per read: a decoder may keep views of the previous chunk's tail. Not zero-filled
      // (allocUnsafeSlow: its own memory, seen as a plain Uint8Array so that `slice` copies): the read
      // overwrites what is used, and zeroing 1 MiB per read was a visible cost.
      for (;;) {
        const buffer = new Uint8Array(Buffer.allocUnsafeSlow(chunkSize).buffer, 0, chunkSize);
        const { bytesRead } = await handle.read(buffer, 0, chunkSize, null);
        if (bytesRead === 0) break;
        const batch = decoder.push(buffer.subarray(0, bytesRead));
        geometry = decoder.geometry;
        if (batch.length > 0 || batch.triggers) yield batch;
      }
      const last = decoder.end();
      geometry = decoder.geometry;
      if (last.length > 0 || last.triggers) yield last;
    } finally {
      await handle.close();
    }
  }

  return {
    path,
    format,
    stats: () => stats,
    geometry: () => geometry,
    batches: () => (readFile ? wholeFile(readFile) : chunks(createDecoder!)),
  };
}

async function sniffFile(path: string) {
  const handle = await open(path, 'r').catch((error: unknown) => {
    throw new DecodeError(path, 0, `cannot open: ${(error as Error).message}`, { cause: error });
  });
  try {
    const head = new Uint8Array(SNIFF_BYTES);
    const { bytesRead } = await handle.read(head, 0, SNIFF_BYTES, 0);
    if (bytesRead === 0) throw new DecodeError(path, 0, 'the file is empty');
    const format = detectFormat(head.subarray(0, bytesRead), basename(path));
    if (!format) {
      throw new DecodeError(path, 0, 'unknown event file format (no known header or magic number; try --format)');
    }
    return format;
  } finally {
    await handle.close();
  }
}
