import { asyncScheduler, Observable, type MonoTypeOperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import type { EventBatch } from '../events/eventBatch.ts';
import { anchor, batchPart, createPaceClock, dueAtMs, eventTimeAt, isAnchored, upperBound } from './kernels/pace.ts';
import { subscribeLinked } from './subscribeLinked.ts';
import { checkKeys, numberOption } from './options.ts';

export interface PaceOptions {
  /** Replay speed: 1 = real time, 10 = ten times faster, 0.5 = half speed (default 1). */
  readonly speed?: number;
  /** Shortest wall-clock time between two emissions in ms (default 1): events are at most this late. */
  readonly tickMs?: number;
  /** Where time comes from (default asyncScheduler); tests pass a TestScheduler for virtual time. */
  readonly scheduler?: SchedulerLike;
}

/**
 * Real-time pacing: replays a stream so that each event is emitted when `(t - t0) / speed` of wall-clock
 * time has passed since the first event (t0). Batches are split where needed, so events are released in
 * order, never early, and at most `tickMs` late. Empty batches keep their place in the order.
 *
 * RxJS has no back-pressure, so a pull-paced file source keeps reading while this operator waits, and the
 * batches not yet due queue here. To keep a file source pull-paced (reading only as fast as the replay),
 * pace its batches before they become an Observable: `fromAsyncBatches(() => pacedBatches(file.batches()))`.
 * An error from the source is passed on at once; queued events are dropped.
 *
 * @example fromFile('a.raw').pipe(pace({ speed: 2 }))
 */
export function pace(options: PaceOptions = {}, keyPath = 'pace'): MonoTypeOperatorFunction<EventBatch> {
  const o = checkKeys(options, keyPath, ['speed', 'tickMs', 'scheduler']);
  const speed = numberOption(o, 'speed', keyPath, { min: 0, minExclusive: true }, 1);
  const tickMs = numberOption(o, 'tickMs', keyPath, { min: 0 }, 1);
  const scheduler = options.scheduler ?? asyncScheduler;
  return (source) =>
    new Observable<EventBatch>((subscriber) => {
      const clock = createPaceClock(speed);
      const queue: EventBatch[] = [];
      let offset = 0; // events of queue[0] already emitted
      let timer: Subscription | undefined;
      let completed = false;

      const drain = (): void => {
        timer = undefined;
        const now = scheduler.now();
        while (queue.length > 0 && !subscriber.closed) {
          const batch = queue[0];
          const n = batch.length;
          if (n > 0 && !isAnchored(clock)) anchor(clock, now, batch.t[0]);
          let end = n === 0 ? 0 : upperBound(batch.t, offset, n, eventTimeAt(clock, now));
          // Rounding in eventTimeAt must not hold back an event whose due time has come.
          while (end < n && dueAtMs(clock, batch.t[end]) <= now) end++;
          if (n === 0 || end > offset) subscriber.next(batchPart(batch, offset, end));
          if (subscriber.closed) return; // unsubscribed from inside next: schedule nothing more
          if (end < n) {
            offset = end;
            const wait = Math.max(dueAtMs(clock, batch.t[end]) - now, tickMs);
            timer = scheduler.schedule(drain, wait);
            return;
          }
          queue.shift();
          offset = 0;
        }
        if (completed) subscriber.complete();
      };

      subscribeLinked(source, subscriber, {
        next(batch) {
          queue.push(batch);
          if (!timer) drain();
        },
        error: (error: unknown) => subscriber.error(error),
        complete() {
          completed = true;
          if (!timer) drain();
        },
      });
      return () => timer?.unsubscribe();
    });
}
