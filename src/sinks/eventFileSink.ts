import type { EventBatch } from '../events/eventBatch.ts';
import type { Geometry } from '../events/geometry.ts';
import type { FormatModule } from '../formats/types.ts';
import { openByteOutput, type ByteOutput } from './byteOutput.ts';
import { BoundedQueue } from './boundedQueue.ts';
import type { Sink, SinkStats } from './types.ts';

/**
 * Events to a file in any format that can be written: through the format's incremental encoder (header,
 * batch by batch, trailer), or its whole-file writer (HDF5) fed from a small queue. The file is opened at the
 * first event batch, with the geometry given here or else the batch's own; the encoder's ConfigErrors (t
 * decreasing, x >= width…) end the run with the value and allowed range. Spikes and detections are ignored.
 * Writing blocks (returns a promise) while the file is behind, so memory stays flat with a cold source.
 */
export interface EventFileSinkOptions {
  readonly path: string;
  readonly format: FormatModule;
  readonly geometry?: Geometry;
  /** Where the events came from (header comment of formats that have one). */
  readonly source?: string;
}

/** Batches handed to a whole-file writer that it has not consumed yet. */
const WRITE_FILE_QUEUE = 4;

export async function eventFileSink(options: EventFileSinkOptions): Promise<Sink> {
  const { path, format } = options;
  let target: BatchTarget | undefined;
  let written = 0;
  let events = 0;
  let ignored = 0;
  const open = async (geometry: Geometry): Promise<BatchTarget> => {
    const encoderOptions = { width: geometry.width, height: geometry.height, source: options.source };
    if (format.createEncoder) return encoderTarget(await openByteOutput(path), format.createEncoder(encoderOptions));
    const writeFile = format.writeFile!.bind(format);
    return queueTarget((batches) => writeFile(path, batches, encoderOptions));
  };
  return {
    name: 'event-file',
    write: function writeEventFile(item) {
      if (item.kind !== 'events') {
        ignored++;
        return undefined;
      }
      written++;
      events += item.events.length;
      if (target) return target.write(item.events);
      return open(options.geometry ?? item.events).then((opened) => {
        target = opened;
        return opened.write(item.events);
      });
    },
    async close(): Promise<SinkStats> {
      // A run without events still leaves a valid (empty) file when the geometry is known.
      if (!target && options.geometry) target = await open(options.geometry);
      if (target) await target.close();
      return { written, dropped: 0, events, ignored };
    },
  };
}

interface BatchTarget {
  write(batch: EventBatch): void | Promise<void>;
  close(): Promise<void>;
}

function encoderTarget(output: ByteOutput, encoder: ReturnType<NonNullable<FormatModule['createEncoder']>>): BatchTarget {
  const header = encoder.header();
  const first = header.byteLength > 0 ? output.write(header) : undefined;
  return {
    write(batch) {
      const bytes = encoder.encode(batch);
      if (bytes.byteLength === 0) return first;
      return first ? first.then(() => output.write(bytes)) : output.write(bytes);
    },
    async close() {
      await first;
      const tail = encoder.end();
      if (tail.byteLength > 0) await output.write(tail);
      await output.close();
    },
  };
}

/** Feeds a whole-file writer through a bounded queue; `write` waits while the writer is behind. */
function queueTarget(run: (batches: AsyncIterable<EventBatch>) => Promise<void>): BatchTarget {
  const queue = new BoundedQueue<EventBatch>(WRITE_FILE_QUEUE);
  let ended = false;
  let failure: unknown;
  let wakeConsumer: (() => void) | undefined;
  async function* batches(): AsyncGenerator<EventBatch> {
    for (;;) {
      const next = queue.shift();
      if (next) yield next;
      else if (ended) return;
      else await new Promise<void>((resolve) => (wakeConsumer = resolve));
    }
  }
  const done = run(batches()).catch((error: unknown) => {
    failure = error;
    queue.clear();
  });
  const wake = () => {
    const resolve = wakeConsumer;
    wakeConsumer = undefined;
    resolve?.();
  };
  return {
    async write(batch) {
      if (failure) throw failure;
      await queue.whenRoom();
      if (failure) throw failure;
      queue.push(batch);
      wake();
    },
    async close() {
      ended = true;
      wake();
      await done;
      if (failure) throw failure;
    },
  };
}
