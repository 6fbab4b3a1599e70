import type { EventBatch } from '../../events/eventBatch.ts';
import type { Geometry } from '../../events/geometry.ts';
import { supportAbsolute, supportRelative } from './backgroundActivityLoops.ts';
import {
  copiedKeptEvents,
  finishKeptEvents,
  takeKeptEvents,
  type KeptEvents,
  type KeptEventsOwner,
} from './keptEvents.ts';
import { checkSameGeometry } from './pixelGeometry.ts';
import { admitTime, createRelativeTimes, integerBound, SPAN, toAbsolute, type RelativeTimes } from './relativeTimes.ts';
import { WasmFilterLoops } from './wasmFilters.ts';

export interface BackgroundActivityParams {
  /** An event is supported by a neighbour event less than this many µs older (strictly less). */
  readonly windowUs: number;
  /** Whether the pixel's own previous event also counts as support (dv-processing: no). */
  readonly includeSelf: boolean;
}

/**
 * The last event time of every pixel, in a surface padded by one pixel on each side: the border cells never
 * fire, so the 8-neighbour lookup needs no bounds tests in the hot loop. Times are 32-bit relative ones while
 * the stream allows it (see relativeTimes.ts), absolute doubles otherwise.
 */
export interface BackgroundActivityState extends Geometry, KeptEventsOwner {
  readonly stride: number;
  readonly times: RelativeTimes;
  /** [next event, kept count] left by the relative loop when it stops. */
  readonly cursor: Int32Array;
  /** The WebAssembly relative loop, which holds the relative map (undefined: the JavaScript loop). */
  readonly wasm: WasmFilterLoops | undefined;
}

export function createBackgroundActivityState(geometry: Geometry): BackgroundActivityState {
  const stride = geometry.width + 2;
  const cells = stride * (geometry.height + 2);
  const wasm = WasmFilterLoops.create(cells);
  return {
    width: geometry.width,
    height: geometry.height,
    stride,
    times: createRelativeTimes(cells, wasm?.map),
    cursor: new Int32Array(2),
    spare: undefined,
    wasm,
  };
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
  const out = takeKeptEvents(state, n);
  const window = integerBound(params.windowUs);
  const times = state.times;
  // 2 * SPAN lies beyond every relative entry: without includeSelf the pixel's own test never passes.
  const selfBar = params.includeSelf ? 0 : 2 * SPAN;
  let from = 0;
  let kept = 0;
  const wasm = state.wasm;
  if (wasm !== undefined && window !== undefined && n > 0 && n <= wasm.capacity && admitTime(times, batch.t[0])) {
    const whole = wasm.backgroundActivityBatch(batch, times.base, state.stride, window, selfBar, out, state.cursor);
    if (whole !== undefined) return whole;
    from = state.cursor[0];
    kept = state.cursor[1];
  }
  while (from < n) {
    if (window !== undefined && admitTime(times, batch.t[from])) {
      if (wasm !== undefined) {
        wasm.backgroundActivity(batch, from, n, times.base, state.stride, window, selfBar, out, kept, state.cursor);
      } else {
        supportRelative(
          batch.t, batch.x, batch.y, batch.p, from, n, times.relative!, times.base, state.stride, window, selfBar,
          out.t, out.x, out.y, out.p, kept, state.cursor,
        );
      }
      from = state.cursor[0];
      kept = state.cursor[1];
    } else {
      kept = absolute(batch, state, params, out, from, kept);
      from = n;
    }
  }
  return wasm !== undefined ? copiedKeptEvents(batch, out, kept) : finishKeptEvents(batch, state, out, kept);
}

function absolute(
  batch: EventBatch,
  state: BackgroundActivityState,
  params: BackgroundActivityParams,
  out: KeptEvents,
  from: number,
  kept: number,
): number {
  const map = toAbsolute(state.times);
  const selfBar = params.includeSelf ? 0 : Infinity;
  return supportAbsolute(
    batch.t, batch.x, batch.y, batch.p, from, batch.length, map, state.stride, params.windowUs, selfBar,
    out.t, out.x, out.y, out.p, kept,
  );
}
