import { emptyBatch, makeBatch, type EventBatch } from '../../events/eventBatch.ts';
import type { Geometry } from '../../events/geometry.ts';
import { TriggerCollector } from '../../events/triggerCollector.ts';

/**
 * Memory that is not zeroed first (Node's allocUnsafeSlow): every event slot is written by a kernel before it
 * is read, and zeroing megabytes per chunk (then touching them again) is a measurable share of the decode.
 */
function uninitialized(bytes: number): ArrayBuffer {
  // Below a page or so, zeroing costs less than Node's unpooled allocation.
  return bytes < 16384 ? new ArrayBuffer(bytes) : (Buffer.allocUnsafeSlow(bytes).buffer as ArrayBuffer);
}

/**
 * Where the Prophesee kernels write events: like EventBatchBuilder (reserve, then index writes into t/x/y/p and
 * set `length`), but `take()` hands the arrays over as views instead of copying them, and the next `reserve`
 * allocates fresh ones. Decoders reserve what one chunk can produce, so the views waste little, and skipping
 * the copy is a large part of the decode time.
 */
export class BatchWriter {
  t = new Float64Array(0);
  x = new Uint16Array(0);
  y = new Uint16Array(0);
  p = new Uint8Array(0);
  length = 0;
  private readonly triggers = new TriggerCollector();
  private empty: EventBatch | undefined;

  /** Makes room for `extra` more events (keeping those written). */
  reserve(extra: number): void {
    const need = this.length + extra;
    if (need <= this.t.length) return;
    const capacity = Math.max(need, this.length * 2);
    const t = new Float64Array(uninitialized(8 * capacity));
    const x = new Uint16Array(uninitialized(2 * capacity));
    const y = new Uint16Array(uninitialized(2 * capacity));
    const p = new Uint8Array(uninitialized(capacity));
    if (this.length > 0) {
      t.set(this.t.subarray(0, this.length));
      x.set(this.x.subarray(0, this.length));
      y.set(this.y.subarray(0, this.length));
      p.set(this.p.subarray(0, this.length));
    }
    this.t = t;
    this.x = x;
    this.y = y;
    this.p = p;
  }

  pushTrigger(t: number, id: number, value: number): void {
    this.triggers.push(t, id, value);
  }

  /** The events written so far as a batch of views; the writer starts over with no arrays. */
  take(geometry: Geometry): EventBatch {
    const n = this.length;
    // Tiny pushes (a file read a few bytes at a time) must not allocate: an empty batch is shared.
    if (n === 0 && this.triggers.length === 0) {
      if (this.empty?.width !== geometry.width || this.empty.height !== geometry.height) this.empty = emptyBatch(geometry);
      return this.empty;
    }
    // The arrays were not zeroed when allocated: clear what the batch does not use, so that no stale memory
    // is ever reachable through `batch.t.buffer`.
    this.t.fill(0, n);
    this.x.fill(0, n);
    this.y.fill(0, n);
    this.p.fill(0, n);
    const batch = makeBatch(
      geometry,
      this.t.subarray(0, n),
      this.x.subarray(0, n),
      this.y.subarray(0, n),
      this.p.subarray(0, n),
      this.triggers.take(),
    );
    this.length = 0;
    if (n > 0) {
      this.t = new Float64Array(0);
      this.x = new Uint16Array(0);
      this.y = new Uint16Array(0);
      this.p = new Uint8Array(0);
    }
    return batch;
  }
}
