import { Observable, type MonoTypeOperatorFunction } from 'rxjs';
import type { EventBatch } from '../events/eventBatch.ts';
import { countWindowKernel, createCountWindowState, flushCountWindow } from './kernels/countWindow.ts';
import { subscribeLinked } from './subscribeLinked.ts';
import { checkKeys, numberOption } from './options.ts';

export interface CountWindowOptions {
  /** Events per output batch. */
  readonly count: number;
}

/**
 * Re-batches the stream into batches of exactly `count` events (the last one, on completion, may be
 * shorter). Empty input batches produce nothing.
 *
 * @example fromFile('a.raw').pipe(countWindow({ count: 5000 }))
 */
export function countWindow(options: CountWindowOptions, keyPath = 'countWindow'): MonoTypeOperatorFunction<EventBatch> {
  const o = checkKeys(options, keyPath, ['count']);
  const count = numberOption(o, 'count', keyPath, { min: 1, max: 2 ** 31, integer: true });
  return (source) =>
    new Observable<EventBatch>((subscriber) => {
      const state = createCountWindowState(count);
      subscribeLinked(source, subscriber, {
        next(batch) {
          let batches: EventBatch[];
          try {
            batches = countWindowKernel(batch, state);
          } catch (error) {
            subscriber.error(error);
            return;
          }
          for (const b of batches) {
            if (subscriber.closed) return;
            subscriber.next(b);
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete() {
          const last = flushCountWindow(state);
          if (last) subscriber.next(last);
          subscriber.complete();
        },
      });
    });
}
