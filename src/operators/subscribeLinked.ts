import { Subscription, type Observable, type Observer, type Subscriber } from 'rxjs';

/**
 * Subscribes to `source` with an observer that is linked to the downstream `outer` subscriber before the
 * source starts. A synchronous source that checks `subscriber.closed` between batches then stops as soon
 * as the consumer unsubscribes (e.g. `take(1)`), instead of running to its end first: with a plain
 * `source.subscribe({...})` the upstream subscription only exists once the source has returned.
 * (RxJS uses an object that is both an Observer and a Subscription as the subscriber itself.)
 */
export function subscribeLinked<T>(source: Observable<T>, outer: Subscriber<unknown>, handlers: Handlers<T>): void {
  const inner = new LinkedObserver(handlers);
  outer.add(inner);
  source.subscribe(inner);
}

export interface Handlers<T> {
  next(value: T): void;
  error(error: unknown): void;
  complete(): void;
}

class LinkedObserver<T> extends Subscription implements Observer<T> {
  constructor(private readonly handlers: Handlers<T>) {
    super();
  }

  next(value: T): void {
    if (!this.closed) this.handlers.next(value);
  }

  error(error: unknown): void {
    if (this.closed) return;
    // Closed first: the source's teardown runs and nothing more is delivered, as after any error.
    this.unsubscribe();
    this.handlers.error(error);
  }

  complete(): void {
    if (this.closed) return;
    this.unsubscribe();
    this.handlers.complete();
  }
}
