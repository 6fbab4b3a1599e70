import { Observable, type OperatorFunction } from 'rxjs';
import type { EventBatch } from '../events/eventBatch.ts';
import { createTimeWindowState, flushTimeWindow, timeWindowKernel, type WindowedBatch } from './kernels/timeWindow.ts';
import { subscribeLinked } from './subscribeLinked.ts';
import { checkKeys, numberOption } from './options.ts';

export type { WindowedBatch } from './kernels/timeWindow.ts';

export interface TimeWindowOptions {
  /** Window length N in µs; windows are [k·N, (k+1)·N). */
  readonly windowUs: number;
}

/**
 * Re-batches the stream into time windows of `windowUs` µs aligned to multiples of it, each batch carrying
 * its `windowStart` and `windowEnd`. A window is emitted when the first event after it arrives; windows
 * without events between two events are emitted empty (a long pause yields one empty batch per window);
 * on completion the last, partial window is emitted. Nothing is emitted before the first event.
 *
 * @example fromFile('a.raw').pipe(timeWindow({ windowUs: 10_000 })) // 100 batches per second of recording
 */
export function timeWindow(options: TimeWindowOptions, keyPath = 'timeWindow'): OperatorFunction<EventBatch, WindowedBatch> {
  const o = checkKeys(options, keyPath, ['windowUs']);
  const windowUs = numberOption(o, 'windowUs', keyPath, { min: 1, integer: true });
  return (source) =>
    new Observable<WindowedBatch>((subscriber) => {
      const state = createTimeWindowState(windowUs);
      subscribeLinked(source, subscriber, {
        next(batch) {
          let windows: WindowedBatch[];
          try {
            windows = timeWindowKernel(batch, state);
          } catch (error) {
            subscriber.error(error);
            return;
          }
          for (const w of windows) {
            if (subscriber.closed) return;
            subscriber.next(w);
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete() {
          const last = flushTimeWindow(state);
          if (last) subscriber.next(last);
          subscriber.complete();
        },
      });
    });
}
