import type { EventBatch } from '../../events/eventBatch.ts';
import type { Geometry } from '../../events/geometry.ts';
import { gather, scratchIndices } from './gather.ts';
import { checkSameGeometry } from './pixelGeometry.ts';

export interface RefractoryParams {
  /** An event is dropped when its pixel had an event less than this many µs before. */
  readonly periodUs: number;
  /** Keep one last time per pixel and polarity, so an ON event does not silence the next OFF event. */
  readonly perPolarity: boolean;
}

export interface RefractoryState extends Geometry {
  /** Last event time per pixel (index y*width+x), or per pixel and polarity (index 2*(y*width+x)+p). */
  readonly lastT: Float64Array;
  indices: Uint32Array;
}

export function createRefractoryState(geometry: Geometry, perPolarity: boolean): RefractoryState {
  const cells = geometry.width * geometry.height * (perPolarity ? 2 : 1);
  return {
    width: geometry.width,
    height: geometry.height,
    lastT: new Float64Array(cells).fill(-Infinity),
    indices: new Uint32Array(0),
  };
}

/**
 * Keeps an event when at least `periodUs` passed since its pixel's previous event. Like dv-processing's
 * RefractoryPeriodFilter, every event (kept or dropped) restarts the period, so a pixel firing faster than
 * 1/period stays silent until it pauses.
 */
export function refractoryKernel(batch: EventBatch, state: RefractoryState, params: RefractoryParams): EventBatch {
  checkSameGeometry(state, batch, 'refractory');
  const n = batch.length;
  const indices = (state.indices = scratchIndices(state.indices, n));
  const { t, x, y, p } = batch;
  const last = state.lastT;
  const width = state.width;
  const period = params.periodUs;
  let kept = 0;
  if (params.perPolarity) {
    for (let i = 0; i < n; i++) {
      const ti = t[i];
      const c = (y[i] * width + x[i]) * 2 + p[i];
      if (ti - last[c] >= period) indices[kept++] = i;
      last[c] = ti;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const ti = t[i];
      const c = y[i] * width + x[i];
      if (ti - last[c] >= period) indices[kept++] = i;
      last[c] = ti;
    }
  }
  return gather(batch, indices, kept);
}
