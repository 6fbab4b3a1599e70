import { Observable, type MonoTypeOperatorFunction } from 'rxjs';

export interface DropWhenBusyOptions {
  /** Items held while downstream is busy (1–2 for live video). */
  readonly capacity: number;
  /** Called with the running total each time an item is dropped. */
  readonly onDrop?: (dropped: number) => void;
}

/**
 * Makes a live source hot-safe: items wait in a bounded queue and are delivered one per macrotask, so the
 * source keeps being read while downstream works; when the queue is full the oldest item is dropped and
 * counted. Memory never grows with a slow consumer. Completion and errors wait for the queued items.
 */
export function dropWhenBusy<T>(options: DropWhenBusyOptions): MonoTypeOperatorFunction<T> {
  const capacity = Math.max(1, Math.floor(options.capacity));
  return (source) =>
    new Observable<T>((subscriber) => {
      const queue: T[] = [];
      let dropped = 0;
      let scheduled: NodeJS.Immediate | undefined;
      let ended: { error?: unknown } | undefined;

      const deliver = (): void => {
        scheduled = undefined;
        const item = queue.shift();
        if (item !== undefined) subscriber.next(item);
        if (queue.length > 0) scheduled = setImmediate(deliver);
        else if (ended) ended.error !== undefined ? subscriber.error(ended.error) : subscriber.complete();
      };
      const schedule = (): void => {
        scheduled ??= setImmediate(deliver);
      };
      const subscription = source.subscribe({
        next(item) {
          if (queue.length >= capacity) {
            queue.shift();
            dropped++;
            options.onDrop?.(dropped);
          }
          queue.push(item);
          schedule();
        },
        error(error) {
          ended = { error };
          schedule();
        },
        complete() {
          ended = {};
          schedule();
        },
      });
      return () => {
        if (scheduled) clearImmediate(scheduled);
        queue.length = 0;
        subscription.unsubscribe();
      };
    });
}
