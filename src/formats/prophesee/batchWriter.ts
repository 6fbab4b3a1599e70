import { emptyBatch, makeBatch, type EventBatch } from '../../events/eventBatch.ts';
import type { Geometry } from '../../events/geometry.ts';
import { TriggerCollector } from '../../events/triggerCollector.ts';
import { clearUnwritten, uninitializedBuffer, uninitializedEventArrays } from '../uninitializedBuffer.ts';

/** Bytes of one event in the writer's arrays (t, x, y, p). */
const EVENT_BYTES = 13;
/**
 * Up to this size the four arrays share one allocation (one ArrayBuffer instead of four: a 4,407-event batch
 * costs about half). Above it, one big buffer is slower than four: measured with Node 20 on Linux, a fresh
 * 1.7 MB buffer took ~40 page faults per batch and ~3.5x the time of four buffers of the same total (the
 * allocator hands big blocks back to the system and maps them again), so big batches keep four.
 */
const ONE_BUFFER_BYTES = 256 * 1024;

// A writer without arrays shares these (nothing can be written into a zero-length array).
const NO_T = new Float64Array(0);
const NO_X = new Uint16Array(0);
const NO_Y = new Uint16Array(0);
const NO_P = new Uint8Array(0);

/** The last empty batch handed out, shared by all writers of that geometry (tiny pushes must not allocate). */
let emptyShared: EventBatch | undefined;

/**
 * Where the Prophesee kernels write events: like EventBatchBuilder (reserve, then index writes into t/x/y/p and
 * set `length`), but `take()` hands the arrays over as views instead of copying them, and the next `reserve`
 * allocates fresh ones. Decoders reserve what one chunk can produce, so the views waste little, and skipping
 * the copy is a large part of the decode time. A small batch's four arrays are views of one ArrayBuffer (t
 * first, so it stays 8-byte aligned).
 */
export class BatchWriter {
  t: Float64Array = NO_T;
  x: Uint16Array = NO_X;
  y: Uint16Array = NO_Y;
  p: Uint8Array = NO_P;
  length = 0;
  private readonly triggers = new TriggerCollector();

  /** Makes room for `extra` more events (keeping those written). */
  reserve(extra: number): void {
    const need = this.length + extra;
    if (need <= this.t.length) return;
    const capacity = Math.max(need, this.length * 2);
    let t: Float64Array, x: Uint16Array, y: Uint16Array, p: Uint8Array;
    if (EVENT_BYTES * capacity <= ONE_BUFFER_BYTES) {
      const buffer = uninitializedBuffer(EVENT_BYTES * capacity);
      t = new Float64Array(buffer, 0, capacity);
      x = new Uint16Array(buffer, 8 * capacity, capacity);
      y = new Uint16Array(buffer, 10 * capacity, capacity);
      p = new Uint8Array(buffer, 12 * capacity, capacity);
    } else {
      [t, x, y, p] = uninitializedEventArrays(capacity);
    }
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
    if (n === 0 && this.triggers.length === 0) {
      if (emptyShared?.width !== geometry.width || emptyShared.height !== geometry.height) emptyShared = Object.freeze(emptyBatch(geometry));
      return emptyShared;
    }
    const full = n === this.t.length;
    if (!full) clearUnwritten(this.t, this.x, this.y, this.p, n);
    const batch = makeBatch(
      geometry,
      full ? this.t : this.t.subarray(0, n),
      full ? this.x : this.x.subarray(0, n),
      full ? this.y : this.y.subarray(0, n),
      full ? this.p : this.p.subarray(0, n),
      this.triggers.take(),
    );
    this.length = 0;
    if (n > 0) {
      this.t = NO_T;
      this.x = NO_X;
      this.y = NO_Y;
      this.p = NO_P;
    }
    return batch;
  }
}
