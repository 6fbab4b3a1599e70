import { setTimeout as sleepMs } from 'node:timers/promises';
import type { EventBatch } from '../events/eventBatch.ts';
import { anchor, batchPart, createPaceClock, dueAtMs, eventTimeAt, isAnchored, upperBound } from './kernels/pace.ts';
import { checkKeys, numberOption } from './options.ts';

export interface PacedBatchesOptions {
  /** Replay speed (default 1 = real time). */
  readonly speed?: number;
  /** Shortest wait between two yields in ms (default 1). */
  readonly tickMs?: number;
  /** Clock in ms and a way to wait (default: performance.now and timers); tests pass fakes. */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<unknown>;
}

/**
 * Real-time pacing for a pull-paced source, before it becomes an Observable: the same schedule as `pace`, but
 * the next batch is pulled from `batches` only once the previous one was released, so a file is read no faster
 * than it is replayed and nothing queues. Use as `fromAsyncBatches(() => pacedBatches(file.batches()))`.
 */
export async function* pacedBatches(
  batches: AsyncIterable<EventBatch>,
  options: PacedBatchesOptions = {},
  keyPath = 'pace',
): AsyncGenerator<EventBatch, void, undefined> {
  const o = checkKeys(options, keyPath, ['speed', 'tickMs', 'now', 'sleep']);
  const clock = createPaceClock(numberOption(o, 'speed', keyPath, { min: 0, minExclusive: true }, 1));
  const tickMs = numberOption(o, 'tickMs', keyPath, { min: 0 }, 1);
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? ((ms: number) => sleepMs(ms));
  for await (const batch of batches) {
    const n = batch.length;
    if (n === 0) {
      yield batch;
      continue;
    }
    let offset = 0;
    for (;;) {
      const wall = now();
      if (!isAnchored(clock)) anchor(clock, wall, batch.t[0]);
      let end = upperBound(batch.t, offset, n, eventTimeAt(clock, wall));
      while (end < n && dueAtMs(clock, batch.t[end]) <= wall) end++;
      if (end > offset) yield batchPart(batch, offset, end);
      if (end === n) break;
      offset = end;
      await sleep(Math.max(dueAtMs(clock, batch.t[end]) - wall, tickMs));
    }
  }
}
