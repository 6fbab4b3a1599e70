import type { EventBatch } from '../../events/eventBatch.ts';
import type { Geometry } from '../../events/geometry.ts';
import { lowerBound, PendingEvents } from './rebatch.ts';

/** A batch holding exactly the events of one time window [windowStart, windowEnd) in µs. */
export interface WindowedBatch extends EventBatch {
  readonly windowStart: number;
  readonly windowEnd: number;
}

export interface TimeWindowState {
  readonly windowUs: number;
  /** Emit only windows that hold events (or triggers) instead of one per window of a gap. */
  readonly skipEmpty: boolean;
  /** Start of the open window; NaN until the first event. */
  start: number;
  geometry: Geometry | undefined;
  readonly pending: PendingEvents;
}

export function createTimeWindowState(windowUs: number, skipEmpty = false): TimeWindowState {
  return { windowUs, skipEmpty, start: Number.NaN, geometry: undefined, pending: new PendingEvents() };
}

/**
 * Re-batches events into windows [k·N, (k+1)·N) µs (aligned to multiples of N, not to the first event).
 * A window is handed to `emit` once an event at or after its end arrives, which proves it complete (t never
 * decreases). Windows in a gap between events are emitted empty (unless `skipEmpty`), so a consumer sees a
 * regular clock; the first window is the one holding the first event. Windows go out one at a time through
 * `emit`, never collected, so a long pause costs time but no memory; `emit` returns false to stop early
 * (the consumer unsubscribed).
 */
export function timeWindowKernel(
  batch: EventBatch,
  state: TimeWindowState,
  emit: (window: WindowedBatch) => boolean,
): void {
  state.geometry = { width: batch.width, height: batch.height };
  state.pending.addTriggers(batch.triggers);
  const n = batch.length;
  const size = state.windowUs;
  if (n === 0) return;
  if (Number.isNaN(state.start)) state.start = alignDown(batch.t[0], size);
  let i = 0;
  for (;;) {
    const end = state.start + size;
    const j = lowerBound(batch.t, i, n, end);
    state.pending.add(batch, i, j);
    if (j === n) return;
    if (!emit(closeWindow(state))) return;
    const next = alignDown(batch.t[j], size);
    if (!state.skipEmpty) {
      for (let s = end; s < next; s += size) {
        if (!emit(window(state.pending.take(state.geometry, s + size), s, size))) return;
      }
    }
    state.start = next;
    i = j;
  }
}

/** On completion: the open window, partial (it holds at least one event), or nothing if no event came. */
export function flushTimeWindow(state: TimeWindowState): WindowedBatch | undefined {
  if (Number.isNaN(state.start) || !state.geometry) return undefined;
  const last = closeWindow(state, Infinity);
  state.start = Number.NaN;
  return last;
}

function closeWindow(state: TimeWindowState, triggersBefore = state.start + state.windowUs): WindowedBatch {
  return window(state.pending.take(state.geometry!, triggersBefore), state.start, state.windowUs);
}

function window(batch: EventBatch, start: number, size: number): WindowedBatch {
  return { ...batch, windowStart: start, windowEnd: start + size };
}

function alignDown(t: number, size: number): number {
  return Math.floor(t / size) * size;
}
