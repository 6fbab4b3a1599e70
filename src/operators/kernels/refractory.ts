import type { EventBatch } from '../../events/eventBatch.ts';
import type { Geometry } from '../../events/geometry.ts';
import {
  copyKeptEvents,
  finishKeptEvents,
  gatherKeptEvents,
  scratchIndexArray,
  takeKeptEvents,
  type KeptEvents,
  type KeptEventsOwner,
} from './keptEvents.ts';
import { checkSameGeometry } from './pixelGeometry.ts';
import { refractoryAbsolute, refractoryRelative } from './refractoryLoops.ts';
import { admitTime, createRelativeTimes, integerBound, toAbsolute, type RelativeTimes } from './relativeTimes.ts';
import { WasmFilterLoops } from './wasmFilters.ts';

export interface RefractoryParams {
  /** An event is dropped when its pixel had an event less than this many µs before. */
  readonly periodUs: number;
  /** Keep one last time per pixel and polarity, so an ON event does not silence the next OFF event. */
  readonly perPolarity: boolean;
}

export interface RefractoryState extends Geometry, KeptEventsOwner {
  /**
   * Last event time per pixel (index y*width+x), or per pixel and polarity (index 2*(y*width+x)+p): 32-bit
   * relative times while the stream allows it (see relativeTimes.ts), absolute doubles otherwise.
   */
  readonly times: RelativeTimes;
  /** [next event, kept count] left by the relative loop when it stops. */
  readonly cursor: Int32Array;
  /** Indices of the kept events of the current batch (scratch, never handed out). */
  indices: Int32Array;
  /**
   * The WebAssembly relative loop, which holds the relative map and compacts kept events itself: they are
   * collected in `spare` (see keptEvents.ts) instead of as indices. Undefined: the JavaScript loop.
   */
  readonly wasm: WasmFilterLoops | undefined;
}

export function createRefractoryState(geometry: Geometry, perPolarity: boolean): RefractoryState {
  const cells = geometry.width * geometry.height * (perPolarity ? 2 : 1);
  const wasm = WasmFilterLoops.create(cells);
  return {
    width: geometry.width,
    height: geometry.height,
    times: createRelativeTimes(cells, wasm?.map),
    cursor: new Int32Array(2),
    indices: new Int32Array(0),
    spare: undefined,
    wasm,
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
  const indices = (state.indices = scratchIndexArray(state.indices, n));
  const { t, x, y, p } = batch;
  const cellsPerPixel = params.perPolarity ? 2 : 1;
  const polarityMask = params.perPolarity ? 1 : 0;
  const period = integerBound(params.periodUs);
  const times = state.times;
  const out: KeptEvents | undefined = state.wasm === undefined ? undefined : takeKeptEvents(state, n);
  let from = 0;
  let kept = 0;
  while (from < n) {
    if (period !== undefined && admitTime(times, t[from])) {
      if (state.wasm !== undefined) {
        state.wasm.refractory(
          batch, from, n, times.base, state.width, cellsPerPixel, polarityMask, period, out!, kept, state.cursor,
        );
      } else {
        refractoryRelative(
          t, x, y, p, from, n, times.relative!, times.base, state.width, cellsPerPixel, polarityMask, period,
          indices, kept, state.cursor,
        );
      }
      from = state.cursor[0];
      kept = state.cursor[1];
    } else {
      const before = kept;
      kept = refractoryAbsolute(
        t, x, y, p, from, n, toAbsolute(times), state.width, cellsPerPixel, polarityMask, params.periodUs,
        indices, kept,
      );
      if (out !== undefined) copyKeptEvents(batch, indices, before, kept, out);
      from = n;
    }
  }
  return out === undefined ? gatherKeptEvents(batch, indices, kept) : finishKeptEvents(batch, state, out, kept);
}
