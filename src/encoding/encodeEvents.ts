import type { EventBatch } from '../events/eventBatch.ts';
import type { CellGrid } from './encoderOptions.ts';

/**
 * The pure kernel of the encoder: events `start..end` of a batch → neuron indices on a cell grid, one spike per
 * event at the event's time. OFF goes to channel 0 and ON to channel 1 when the grid has two channels.
 * Spikes of one timestamp are sorted by neuron (the SpikeBatch order); events are already sorted by t.
 */
export function encodeEvents(
  events: EventBatch,
  start: number,
  end: number,
  grid: CellGrid,
): { t: Float64Array; neuron: Uint32Array } {
  const n = end - start;
  const t = new Float64Array(n);
  const neuron = new Uint32Array(n);
  encodeEventsInto(events, start, end, grid, t, neuron, 0);
  sortNeuronsWithinTimestamps(t, neuron);
  return { t, neuron };
}

/**
 * The same into `t` and `neuron` from index `at` (so the encoder can put the spikes it held back in front without
 * a second copy), NOT sorted within timestamps: the caller sorts once the arrays are complete.
 */
export function encodeEventsInto(
  events: EventBatch,
  start: number,
  end: number,
  grid: CellGrid,
  t: Float64Array,
  neuron: Uint32Array,
  at: number,
): void {
  const n = end - start;
  t.set(events.t.subarray(start, end), at);
  const { x, y, p } = events;
  const f = grid.pool;
  const w = grid.width;
  const plane = grid.width * grid.height;
  const twoChannels = grid.channels === 2;
  for (let i = 0; i < n; i++) {
    const j = start + i;
    // Integer division by f through Math.floor on small ints is exact; f = 1 skips it.
    const cx = f === 1 ? x[j] : Math.floor(x[j] / f);
    const cy = f === 1 ? y[j] : Math.floor(y[j] / f);
    neuron[at + i] = (twoChannels && p[j] === 1 ? plane : 0) + cy * w + cx;
  }
}

/** Insertion sort of `neuron` inside each run of equal `t`: runs are short, so this is linear in practice. */
export function sortNeuronsWithinTimestamps(t: Float64Array, neuron: Uint32Array): void {
  const n = t.length;
  for (let i = 1; i < n; i++) {
    const ti = t[i];
    const v = neuron[i];
    if (t[i - 1] !== ti || neuron[i - 1] <= v) continue;
    let j = i - 1;
    while (j >= 0 && t[j] === ti && neuron[j] > v) {
      neuron[j + 1] = neuron[j];
      j--;
    }
    neuron[j + 1] = v;
  }
}
