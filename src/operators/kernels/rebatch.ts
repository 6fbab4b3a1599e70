import { concatBatches, emptyBatch, sliceBatch, type EventBatch, type TriggerBatch } from '../../events/eventBatch.ts';
import type { Geometry } from '../../events/geometry.ts';

/**
 * Pieces of input batches waiting to become one output batch, for the windowing kernels. Pieces are views
 * of the input; `take` copies them into new arrays. Triggers are queued apart and leave with the output
 * batch whose span covers their time.
 */
export class PendingEvents {
  private pieces: EventBatch[] = [];
  private triggers: TriggerBatch[] = [];
  length = 0;

  add(batch: EventBatch, start: number, end: number): void {
    if (end <= start) return;
    this.pieces.push(sliceBatch(batch, start, end));
    this.length += end - start;
  }

  addTriggers(triggers: TriggerBatch | undefined): void {
    if (triggers && triggers.length > 0) this.triggers.push(triggers);
  }

  /** The queued events as one new batch, with the queued triggers of t < `triggersBefore`. */
  take(geometry: Geometry, triggersBefore: number): EventBatch {
    const events = this.pieces.length > 0 ? concatBatches(this.pieces, geometry) : emptyBatch(geometry);
    this.pieces = [];
    this.length = 0;
    const triggers = this.takeTriggers(triggersBefore);
    return triggers ? { ...events, triggers } : events;
  }

  private takeTriggers(before: number): TriggerBatch | undefined {
    if (this.triggers.length === 0) return undefined;
    const all = concatTriggers(this.triggers);
    let cut = 0;
    while (cut < all.length && all.t[cut] < before) cut++;
    const rest = sliceTriggers(all, cut, all.length);
    this.triggers = rest.length > 0 ? [rest] : [];
    return cut > 0 ? sliceTriggers(all, 0, cut) : undefined;
  }
}

function concatTriggers(list: readonly TriggerBatch[]): TriggerBatch {
  if (list.length === 1) return list[0];
  let n = 0;
  for (const b of list) n += b.length;
  const t = new Float64Array(n);
  const id = new Uint8Array(n);
  const value = new Uint8Array(n);
  let o = 0;
  for (const b of list) {
    t.set(b.t.subarray(0, b.length), o);
    id.set(b.id.subarray(0, b.length), o);
    value.set(b.value.subarray(0, b.length), o);
    o += b.length;
  }
  return { t, id, value, length: n };
}

function sliceTriggers(b: TriggerBatch, start: number, end: number): TriggerBatch {
  return { t: b.t.slice(start, end), id: b.id.slice(start, end), value: b.value.slice(start, end), length: end - start };
}

/** First index in `t[from..n)` with `t[i] >= value` (t is sorted), or n. */
export function lowerBound(t: Float64Array, from: number, n: number, value: number): number {
  let lo = from;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
