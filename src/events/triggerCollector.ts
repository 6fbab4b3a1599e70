import type { TriggerBatch } from './eventBatch.ts';

/**
 * Trigger edges gathered one at a time while a decoder writes events: they are rare, so plain arrays do, and
 * `take()` hands them over as a TriggerBatch of typed arrays. Shared by EventBatchBuilder and the Prophesee
 * BatchWriter, which differ only in how they hold the events.
 */
export class TriggerCollector {
  private t: number[] = [];
  private id: number[] = [];
  private value: number[] = [];

  get length(): number {
    return this.t.length;
  }

  push(t: number, id: number, value: number): void {
    this.t.push(t);
    this.id.push(id);
    this.value.push(value);
  }

  /** The triggers gathered since the last take (none: undefined, as a batch without triggers has). */
  take(): TriggerBatch | undefined {
    const n = this.t.length;
    if (n === 0) return undefined;
    const triggers = {
      t: Float64Array.from(this.t),
      id: Uint8Array.from(this.id),
      value: Uint8Array.from(this.value),
      length: n,
    };
    this.t = [];
    this.id = [];
    this.value = [];
    return triggers;
  }
}
