import { readSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Observable } from 'rxjs';
import { DecodeError } from '../errors.ts';
import type { EventBatch } from '../events/eventBatch.ts';
import { openEventFile } from '../sources/openEventFile.ts';
import type { FrameSource } from './frameSources.ts';
import type { SourceSpec } from './pipelineSpec.ts';

/**
 * Bytes per read. Smaller than fromFile's 1 MiB: every stage copies a batch a few times over, and batches of
 * ~16k events kept peak RSS on a 64 MiB recording at ~145 MB instead of ~185 MB, at the same throughput.
 */
const CHUNK_SIZE = 64 * 1024;
/**
 * Reads are synchronous (a promise read cost ~0.25 ms of main-thread CPU per 64 KiB chunk in the pipeline,
 * several times the syscall), so the event loop gets a turn after this many bytes: sharp's finished writes,
 * signals (Ctrl-C) and the progress bar are served at least that often.
 */
const YIELD_EVERY_BYTES = 1024 * 1024;

/** A batch from a source, with how far through the input the reading is (for the progress bar's ETA). */
export interface SourceStep {
  readonly batch: EventBatch;
  readonly bytesRead: number;
  /** Size of the input in bytes, when it is a file. */
  readonly totalBytes: number | undefined;
}

/**
 * Pulls batches from a pipeline source. Event files are read here chunk by chunk through their format's
 * decoder, so the bytes read are known (fromFile hides them); the next chunk is read only when the caller asks.
 * Video files and image folders are pulled frame by frame too; live sources (webcam, NATS) are observed.
 */
export async function* readSource(
  source: SourceSpec,
  openFrameSource: (source: SourceSpec) => Promise<FrameSource>,
): AsyncGenerator<SourceStep, void, undefined> {
  if (source.type !== 'file') {
    const opened = await openFrameSource(source);
    if (opened.kind === 'live') yield* fromObservable(opened.events);
    else for await (const batch of opened.batches) yield { batch, bytesRead: 0, totalBytes: undefined };
    return;
  }
  const file = await openEventFile(source.path, { format: source.format, width: source.width, height: source.height });
  const totalBytes = (await stat(source.path)).size;
  const createDecoder = file.format.createDecoder?.bind(file.format);
  if (!createDecoder) {
    // Random-access formats (HDF5) decode the whole file their own way: progress is by batch only.
    for await (const batch of file.batches()) yield { batch, bytesRead: 0, totalBytes };
    return;
  }
  const decoder = createDecoder({ file: source.path, width: source.width, height: source.height });
  const handle = await open(source.path, 'r').catch((error: unknown) => {
    throw new DecodeError(source.path, 0, `cannot open: ${(error as Error).message}`, { cause: error });
  });
  try {
    let bytesRead = 0;
    let nextYield = YIELD_EVERY_BYTES;
    for (;;) {
      // A fresh buffer per read: the decoder may keep views of the previous chunk's tail.
      const buffer = new Uint8Array(Buffer.allocUnsafeSlow(CHUNK_SIZE).buffer, 0, CHUNK_SIZE); // not zero-filled: the read overwrites it
      const read = readChunk(handle.fd, buffer, source.path, bytesRead);
      if (read === 0) break;
      bytesRead += read;
      if (bytesRead >= nextYield) {
        nextYield = bytesRead + YIELD_EVERY_BYTES;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      const batch = decoder.push(buffer.subarray(0, read));
      if (batch.length > 0) yield { batch, bytesRead, totalBytes };
    }
    const last = decoder.end();
    if (last.length > 0) yield { batch: last, bytesRead, totalBytes };
  } finally {
    await handle.close();
  }
}

function readChunk(fd: number, buffer: Uint8Array, path: string, offset: number): number {
  try {
    return readSync(fd, buffer, 0, buffer.length, null);
  } catch (error) {
    throw new DecodeError(path, offset, `cannot read: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * An Observable as a pull-style iterator. Live sources run at their own pace; batches wait here (at most
 * `maxQueued`, after which the oldest are dropped and counted, as live sources do) until the pipeline pulls.
 */
async function* fromObservable(events: Observable<EventBatch>, maxQueued = 256): AsyncGenerator<SourceStep, void, undefined> {
  const queue: EventBatch[] = [];
  let done = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const subscription = events.subscribe({
    next(batch) {
      queue.push(batch);
      if (queue.length > maxQueued) queue.shift();
      wake?.();
    },
    error(error) {
      failure = error ?? new Error('source failed');
      wake?.();
    },
    complete() {
      done = true;
      wake?.();
    },
  });
  try {
    for (;;) {
      if (queue.length > 0) {
        yield { batch: queue.shift()!, bytesRead: 0, totalBytes: undefined };
        continue;
      }
      if (failure !== undefined) throw failure;
      if (done) return;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    subscription.unsubscribe();
  }
}
