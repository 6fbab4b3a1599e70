/**
 * A FIFO with a fixed capacity, the buffer of every network sink. `push` on a full queue evicts and returns
 * the oldest item (policy 'drop-oldest'); a 'block' sink instead awaits `whenRoom()` before pushing.
 * A ring buffer, so pushing and shifting never copy the queue.
 */
export class BoundedQueue<T> {
  private readonly items: (T | undefined)[];
  private head = 0;
  private count = 0;
  private waiters: (() => void)[] = [];

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`queue capacity ${capacity} (an integer >= 1)`);
    this.items = new Array<T | undefined>(capacity);
  }

  get length(): number {
    return this.count;
  }

  get full(): boolean {
    return this.count === this.capacity;
  }

  /** Appends an item; when full, first removes the oldest item and returns it. */
  push(item: T): T | undefined {
    let evicted: T | undefined;
    if (this.count === this.capacity) evicted = this.shift();
    this.items[(this.head + this.count) % this.capacity] = item;
    this.count++;
    return evicted;
  }

  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.count--;
    this.wake();
    return item;
  }

  /** Resolves once the queue has room (at once if it has). */
  whenRoom(): Promise<void> {
    if (this.count < this.capacity) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Empties the queue, returns what was in it, and releases everybody waiting for room. */
  clear(): T[] {
    const rest: T[] = [];
    while (this.count > 0) rest.push(this.shift() as T);
    this.wake();
    return rest;
  }

  private wake(): void {
    if (this.waiters.length === 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
