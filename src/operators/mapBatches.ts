import { Observable, type OperatorFunction } from 'rxjs';
import { subscribeLinked } from './subscribeLinked.ts';

/**
 * The shape shared by the one-batch-in, one-batch-out operators: `createStep` runs once per subscription (so
 * per-pixel state belongs to that subscription and is released on teardown), and the step it returns maps
 * each batch. A step that throws ends the stream with that error instead of throwing out of `next`.
 * `onTeardown` registers what to give back when the subscription ends (completes, errors or is unsubscribed),
 * after the last step ran.
 */
export function mapBatches<A, B>(
  createStep: (onTeardown: (release: () => void) => void) => (batch: A) => B,
): OperatorFunction<A, B> {
  return (source) =>
    new Observable<B>((subscriber) => {
      const step = createStep((release) => subscriber.add(release));
      subscribeLinked(source, subscriber, {
        next(batch) {
          let out: B;
          try {
            out = step(batch);
          } catch (error) {
            subscriber.error(error);
            return;
          }
          subscriber.next(out);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}
