import { Observable } from 'rxjs';

/**
 * A cold, pull-paced Observable over an async iterable: the next item is requested only after the previous
 * `next` returned, and unsubscribing ends the iteration (running the iterator's `finally`, which closes files).
 */
export function fromAsyncBatches<T>(makeIterator: () => AsyncGenerator<T, void, undefined>): Observable<T> {
  return new Observable<T>((subscriber) => {
    const iterator = makeIterator();
    let stopped = false;
    void (async () => {
      try {
        for (;;) {
          const step = await iterator.next();
          if (stopped) return;
          if (step.done) break;
          subscriber.next(step.value);
          if (stopped) return;
        }
        subscriber.complete();
      } catch (error) {
        if (!stopped) subscriber.error(error);
      }
    })();
    return () => {
      stopped = true;
      // Closes the underlying file; errors while closing after an unsubscribe have nobody to go to.
      void iterator.return(undefined).catch(() => undefined);
    };
  });
}
