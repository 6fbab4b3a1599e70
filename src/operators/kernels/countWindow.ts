import type { EventBatch } from '../../events/eventBatch.ts';
import type { Geometry } from '../../events/geometry.ts';
import { PendingEvents } from './rebatch.ts';

export interface CountWindowState {
  readonly count: number;
  geometry: Geometry | undefined;
  readonly pending: PendingEvents;
}

export function createCountWindowState(count: number): CountWindowState {
  return { count, geometry: undefined, pending: new PendingEvents() };
}

/** Re-batches events into batches of exactly `count` events; returns the batches this input completed. */
export function countWindowKernel(batch: EventBatch, state: CountWindowState): EventBatch[] {
  const geometry = (state.geometry = { width: batch.width, height: batch.height });
  state.pending.addTriggers(batch.triggers);
  const out: EventBatch[] = [];
  const n = batch.length;
  let i = 0;
  while (i < n) {
    const j = Math.min(n, i + state.count - state.pending.length);
    state.pending.add(batch, i, j);
    i = j;
    if (state.pending.length === state.count) {
      // Triggers up to the last event of this batch of events leave with it.
      out.push(state.pending.take(geometry, batch.t[j - 1] + 1));
    }
  }
  return out;
}

/** On completion: the last, shorter batch, if events are left over. */
export function flushCountWindow(state: CountWindowState): EventBatch | undefined {
  if (state.pending.length === 0 || !state.geometry) return undefined;
  return state.pending.take(state.geometry, Infinity);
}
