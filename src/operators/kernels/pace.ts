import { sliceBatch, type EventBatch } from '../../events/eventBatch.ts';

/**
 * The arithmetic of real-time replay: the first event is anchored to the wall-clock time at which it was
 * seen, and every later event is due `(t - t0) / speed` µs of wall time after it. Kept apart from the RxJS
 * operator so that it can be checked with plain numbers.
 */
export interface PaceClock {
  readonly speed: number;
  /** Wall-clock time of the anchor in ms (scheduler.now()); NaN until the first event. */
  wall0: number;
  /** Event time of the anchor in µs. */
  t0: number;
}

export function createPaceClock(speed: number): PaceClock {
  return { speed, wall0: Number.NaN, t0: Number.NaN };
}

export function isAnchored(clock: PaceClock): boolean {
  return !Number.isNaN(clock.wall0);
}

export function anchor(clock: PaceClock, nowMs: number, t: number): void {
  clock.wall0 = nowMs;
  clock.t0 = t;
}

/** Wall-clock time (ms) at which an event of time `t` µs is due. */
export function dueAtMs(clock: PaceClock, t: number): number {
  return clock.wall0 + (t - clock.t0) / (1000 * clock.speed);
}

/** The latest event time (µs) whose events are due at wall-clock time `nowMs`. */
export function eventTimeAt(clock: PaceClock, nowMs: number): number {
  return clock.t0 + (nowMs - clock.wall0) * 1000 * clock.speed;
}

/** First index in `t[from..n)` with `t[i] > value` (t is sorted), or n. */
export function upperBound(t: Float64Array, from: number, n: number, value: number): number {
  let lo = from;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Events start..end of a batch: the batch itself when whole, else new arrays (triggers go with the first part). */
export function batchPart(batch: EventBatch, start: number, end: number): EventBatch {
  if (start === 0 && end === batch.length) return batch;
  const view = sliceBatch(batch, start, end);
  const copy: EventBatch = { ...view, t: view.t.slice(), x: view.x.slice(), y: view.y.slice(), p: view.p.slice() };
  return start === 0 && batch.triggers ? { ...copy, triggers: batch.triggers } : copy;
}
