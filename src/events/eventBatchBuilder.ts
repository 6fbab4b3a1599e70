import { makeBatch, type EventBatch } from './eventBatch.ts';
import type { Geometry } from './geometry.ts';
import { TriggerCollector } from './triggerCollector.ts';

/**
 * A growable struct-of-arrays that decoders write into. `take()` hands the filled part over as a batch and
 * starts a fresh buffer, so a batch handed downstream is never overwritten.
 */
export class EventBatchBuilder {
  t: Float64Array;
  x: Uint16Array;
  y: Uint16Array;
  p: Uint8Array;
  length = 0;
  private readonly triggers = new TriggerCollector();

  constructor(private capacity = 65536) {
    this.t = new Float64Array(capacity);
    this.x = new Uint16Array(capacity);
    this.y = new Uint16Array(capacity);
    this.p = new Uint8Array(capacity);
  }

  /** Makes room for `extra` more events; call before a tight loop that writes by index. */
  reserve(extra: number): void {
    const need = this.length + extra;
    if (need <= this.capacity) return;
    let cap = this.capacity * 2;
    while (cap < need) cap *= 2;
    const t = new Float64Array(cap);
    const x = new Uint16Array(cap);
    const y = new Uint16Array(cap);
    const p = new Uint8Array(cap);
    t.set(this.t.subarray(0, this.length));
    x.set(this.x.subarray(0, this.length));
    y.set(this.y.subarray(0, this.length));
    p.set(this.p.subarray(0, this.length));
    this.t = t;
    this.x = x;
    this.y = y;
    this.p = p;
    this.capacity = cap;
  }

  push(t: number, x: number, y: number, p: number): void {
    if (this.length === this.capacity) this.reserve(1);
    const i = this.length++;
    this.t[i] = t;
    this.x[i] = x;
    this.y[i] = y;
    this.p[i] = p;
  }

  pushTrigger(t: number, id: number, value: number): void {
    this.triggers.push(t, id, value);
  }

  /** Hands over the events collected so far (copied to exact-length arrays) and empties the builder. */
  take(geometry: Geometry): EventBatch {
    const n = this.length;
    const batch = makeBatch(
      geometry,
      this.t.slice(0, n),
      this.x.slice(0, n),
      this.y.slice(0, n),
      this.p.slice(0, n),
      this.triggers.take(),
    );
    this.length = 0;
    return batch;
  }
}
