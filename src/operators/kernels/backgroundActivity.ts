import type { EventBatch } from '../../events/eventBatch.ts';
import type { Geometry } from '../../events/geometry.ts';
import { gather, scratchIndices } from './gather.ts';
import { checkSameGeometry } from './pixelGeometry.ts';

export interface BackgroundActivityParams {
  /** An event is supported by a neighbour event less than this many µs older (strictly less). */
  readonly windowUs: number;
  /** Whether the pixel's own previous event also counts as support (dv-processing: no). */
  readonly includeSelf: boolean;
}

/**
 * The last event time of every pixel, in a surface padded by one pixel on each side: the border cells stay
 * at -Infinity ("never fired"), so the 8-neighbour lookup needs no bounds tests in the hot loop.
 */
export interface BackgroundActivityState extends Geometry {
  readonly stride: number;
  readonly lastT: Float64Array;
  indices: Uint32Array;
}

export function createBackgroundActivityState(geometry: Geometry): BackgroundActivityState {
  const stride = geometry.width + 2;
  const lastT = new Float64Array(stride * (geometry.height + 2)).fill(-Infinity);
  return { width: geometry.width, height: geometry.height, stride, lastT, indices: new Uint32Array(0) };
}

/**
 * Keeps the events that have nearest-neighbour support: one of the 8 neighbours (and, with `includeSelf`, the
 * pixel itself) had an event within `windowUs` before. Every event, kept or not, then becomes its pixel's last
 * time. Same rule as dv-processing's BackgroundActivityNoiseFilter, except that pixels that never fired have
 * no time at all (dv starts them at t = 0, which supports every event of the first `windowUs` of a stream).
 */
export function backgroundActivityKernel(
  batch: EventBatch,
  state: BackgroundActivityState,
  params: BackgroundActivityParams,
): EventBatch {
  checkSameGeometry(state, batch, 'backgroundActivity');
  const n = batch.length;
  const indices = (state.indices = scratchIndices(state.indices, n));
  const { t, x, y } = batch;
  const s = state.lastT;
  const stride = state.stride;
  const window = params.windowUs;
  let kept = 0;
  if (params.includeSelf) {
    for (let i = 0; i < n; i++) {
      const ti = t[i];
      const limit = ti - window;
      const c = (y[i] + 1) * stride + x[i] + 1;
      const up = c - stride;
      const down = c + stride;
      if (
        s[c] > limit ||
        s[c - 1] > limit ||
        s[c + 1] > limit ||
        s[up] > limit ||
        s[up - 1] > limit ||
        s[up + 1] > limit ||
        s[down] > limit ||
        s[down - 1] > limit ||
        s[down + 1] > limit
      ) {
        indices[kept++] = i;
      }
      s[c] = ti;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const ti = t[i];
      const limit = ti - window;
      const c = (y[i] + 1) * stride + x[i] + 1;
      const up = c - stride;
      const down = c + stride;
      if (
        s[c - 1] > limit ||
        s[c + 1] > limit ||
        s[up] > limit ||
        s[up - 1] > limit ||
        s[up + 1] > limit ||
        s[down] > limit ||
        s[down - 1] > limit ||
        s[down + 1] > limit
      ) {
        indices[kept++] = i;
      }
      s[c] = ti;
    }
  }
  return gather(batch, indices, kept);
}
