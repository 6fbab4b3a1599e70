import type { IntervalEvents } from './intervalEvents.ts';
import { CROSSING_EPS, type LevelIndex } from './pixelScan.ts';

/** The fast path's per-pixel state: log references and thresholds, and the byte bands derived from them. */
export interface ByteBandState {
  readonly lut: Float64Array;
  readonly levels: LevelIndex;
  readonly ref: Float64Array;
  readonly thOn: Float64Array;
  readonly thOff: Float64Array;
  /** A pixel fires when its byte is above `above[i]` or below `below[i]` (see `scanByteBands`). */
  readonly above: Uint8Array;
  readonly below: Uint8Array;
}

/**
 * Events of the fast path's fired pixels `fired[start..count)` (ascending) for a frame going from `prev` to
 * `data` over [t0, t0 + dt]: the same arithmetic as the model's general `fire` with no leak and no refractory
 * period, written for the hot loop. There, a pixel's earlier events are all at or before t0 and the crossing
 * times grow with the crossing index and stay within [t0, t1], so the refractory test and the cut at t1 never
 * act and every one of the k crossings is emitted. Each fired pixel's reference moves k thresholds and its byte
 * band is recomputed. Stops early, returning the index of the first unhandled fired pixel, when `out` lacks
 * room (the caller grows it and calls again); returns `count` when done.
 */
export function emitByteCrossings(
  s: ByteBandState,
  fired: Uint32Array,
  start: number,
  count: number,
  data: Uint8Array,
  prev: Uint8Array,
  width: number,
  t0: number,
  dt: number,
  out: IntervalEvents,
): number {
  const { lut, levels, ref, thOn, thOff, above, below } = s;
  const { offset, xy, p } = out;
  const capacity = offset.length;
  let e = out.count;
  let f = start;
  // Fired pixels come in row-major order, so the row advances without a division per pixel.
  let row = start < count ? Math.floor(fired[start] / width) : 0;
  let rowStart = row * width;
  for (; f < count; f++) {
    const i = fired[f];
    while (i >= rowStart + width) {
      row++;
      rowStart += width;
    }
    const l0 = lut[prev[i]];
    const l1 = lut[data[i]];
    const th = thOn[i];
    const r = ref[i];
    // The general path adds `th · leakPhase` (0 here) to both; adding 0 changes no value that matters.
    const d0 = l0 - r;
    const d1 = l1 - r;
    const span = d1 - d0;
    const packed = (i - rowStart) | (row << 16);
    let next: number;
    if (d1 + CROSSING_EPS >= th) {
      const k = Math.floor((d1 + CROSSING_EPS) / th);
      if (e + k > capacity) break;
      for (let j = 1; j <= k; j++) {
        let at = span > 0 ? (j * th - d0) / span : 0;
        if (at < 0) at = 0;
        else if (at > 1) at = 1;
        offset[e] = Math.round(t0 + at * dt) - t0;
        xy[e] = packed;
        p[e] = 1;
        e++;
      }
      next = r + k * th;
    } else if (d1 - CROSSING_EPS <= -thOff[i]) {
      const off = thOff[i];
      const n0 = -d0;
      const n1 = -d1;
      const nspan = n1 - n0;
      const k = Math.floor((n1 + CROSSING_EPS) / off);
      if (e + k > capacity) break;
      for (let j = 1; j <= k; j++) {
        let at = nspan > 0 ? (j * off - n0) / nspan : 0;
        if (at < 0) at = 0;
        else if (at > 1) at = 1;
        offset[e] = Math.round(t0 + at * dt) - t0;
        xy[e] = packed;
        p[e] = 0;
        e++;
      }
      next = r - k * off;
    } else {
      // Listed by the byte test, yet within both thresholds in log units (a rounding edge): no event, and the
      // band is recomputed from the unchanged reference, as the general path does.
      next = r;
    }
    ref[i] = next;
    const hi = levels.atLeast(next + th - CROSSING_EPS);
    const lo = levels.atMost(next - thOff[i] + CROSSING_EPS);
    above[i] = hi > 0 ? hi - 1 : 0;
    below[i] = lo < 255 ? lo + 1 : 255;
  }
  out.count = e;
  return f;
}
