import { Observable, type OperatorFunction } from 'rxjs';
import type { EventBatch } from '../events/eventBatch.ts';
import { createTimeWindowState, flushTimeWindow, timeWindowKernel, type WindowedBatch } from './kernels/timeWindow.ts';
import { subscribeLinked } from './subscribeLinked.ts';
import { booleanOption, checkKeys, numberOption } from './options.ts';

export type { WindowedBatch } from './kernels/timeWindow.ts';

export interface TimeWindowOptions {
  /** Window length N in µs; windows are [k·N, (k+1)·N). */
  readonly windowUs: number;
  /** Leave out the empty windows of gaps between events (default false: one batch per window). */
  readonly skipEmpty?: boolean;
}

/**
 * Re-batches the stream into time windows of `windowUs` µs aligned to multiples of it, each batch carrying
 * its `windowStart` and `windowEnd`. A window is emitted when the first event after it arrives; windows
 * without events between two events are emitted empty (a long pause yields one empty batch per window, one
 * at a time; `skipEmpty` leaves them out); on completion the last, partial window is emitted. Nothing is
 * emitted before the first event.
 *
 * @example fromFile('a.raw').pipe(timeWindow({ windowUs: 10_000 })) // 100 batches per second of recording
 */
export function timeWindow(options: TimeWindowOptions, keyPath = 'timeWindow'): OperatorFunction<EventBatch, WindowedBatch> {
  const o = checkKeys(options, keyPath, ['windowUs', 'skipEmpty']);
  const windowUs = numberOption(o, 'windowUs', keyPath, { min: 1, integer: true });
  const skipEmpty = booleanOption(o, 'skipEmpty', keyPath, false);
  return (source) =>
    new Observable<WindowedBatch>((subscriber) => {
      const state = createTimeWindowState(windowUs, skipEmpty);
      subscribeLinked(source, subscriber, {
        next(batch) {
          const emit = (w: WindowedBatch): boolean => {
            subscriber.next(w);
            return !subscriber.closed;
          };
          try {
            timeWindowKernel(batch, state, emit);
          } catch (error) {
            subscriber.error(error);
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
