import type { EventBatch } from '../../events/eventBatch.ts';
import type { Geometry } from '../../events/geometry.ts';
import { shiftedRight } from './coordinatePairs.ts';
import { withArrays } from './gather.ts';
import { checkSameGeometry } from './pixelGeometry.ts';

export interface DownsampleParams {
  /** Cell size in pixels: x and y are divided by it (rounded down). */
  readonly factor: number;
  /** Input events a cell needs (per polarity) before it emits one output event; 1 = every event. */
  readonly threshold: number;
}

export interface DownsampleState extends Geometry {
  /** Output geometry: ceil(width/factor) × ceil(height/factor). */
  readonly out: Geometry;
  /** Pending input events per output cell and polarity (index 2*(cy*outWidth+cx)+p), when threshold > 1. */
  readonly counts: Uint32Array;
  /** Cell column of each pixel column and cell row of each pixel row: a table lookup instead of a division. */
  readonly cellX: Uint16Array;
  readonly cellY: Uint16Array;
  /** log2(factor) when the factor is a power of two: cells are then a shift, two coordinates per operation. */
  readonly shift: number | undefined;
}

export function outputGeometry(geometry: Geometry, factor: number): Geometry {
  return { width: Math.ceil(geometry.width / factor), height: Math.ceil(geometry.height / factor) };
}

export function createDownsampleState(geometry: Geometry, params: DownsampleParams): DownsampleState {
  const out = outputGeometry(geometry, params.factor);
  const counts = new Uint32Array(params.threshold > 1 ? out.width * out.height * 2 : 0);
  const cellX = Uint16Array.from({ length: geometry.width }, (_, x) => Math.floor(x / params.factor));
  const cellY = Uint16Array.from({ length: geometry.height }, (_, y) => Math.floor(y / params.factor));
  const shift = Number.isInteger(Math.log2(params.factor)) ? Math.log2(params.factor) : undefined;
  return { width: geometry.width, height: geometry.height, out, counts, cellX, cellY, shift };
}

/**
 * Maps events to cells of factor × factor pixels. With threshold 1 every event passes with divided
 * coordinates. With threshold N a cell counts its input events per polarity and emits one event (at the
 * time of the N-th, with that polarity) each time the count reaches N, then starts again from 0. Counts do
 * not leak: a cell's remainder waits for its next events however late they come.
 */
export function downsampleKernel(batch: EventBatch, state: DownsampleState, params: DownsampleParams): EventBatch {
  checkSameGeometry(state, batch, 'downsample');
  const n = batch.length;
  const { t, x, y, p } = batch;
  const { cellX, cellY } = state;
  if (params.threshold <= 1 && state.shift !== undefined) {
    return withArrays(batch, state.out, t.slice(), shiftedRight(x, state.shift), shiftedRight(y, state.shift), p.slice());
  }
  if (params.threshold <= 1) {
    const ox = new Uint16Array(n);
    const oy = new Uint16Array(n);
    for (let i = 0; i < n; i++) {
      ox[i] = cellX[x[i]];
      oy[i] = cellY[y[i]];
    }
    return withArrays(batch, state.out, t.slice(), ox, oy, p.slice());
  }
  const threshold = params.threshold;
  const counts = state.counts;
  const outWidth = state.out.width;
  // At most n/threshold + (cells already part-filled) outputs; n is a safe capacity, trimmed by slice below.
  const ot = new Float64Array(n);
  const ox = new Uint16Array(n);
  const oy = new Uint16Array(n);
  const op = new Uint8Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const cx = cellX[x[i]];
    const cy = cellY[y[i]];
    const c = (cy * outWidth + cx) * 2 + p[i];
    if (++counts[c] >= threshold) {
      counts[c] = 0;
      ot[k] = t[i];
      ox[k] = cx;
      oy[k] = cy;
      op[k] = p[i];
      k++;
    }
  }
  return withArrays(batch, state.out, ot.slice(0, k), ox.slice(0, k), oy.slice(0, k), op.slice(0, k));
}
