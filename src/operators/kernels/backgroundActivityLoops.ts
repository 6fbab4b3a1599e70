import { OUTSIDE_SPAN } from './relativeTimes.ts';

/*
 * The hot loops of the background-activity filter. Maps are padded by one pixel on each side (index
 * (y + 1) * stride + x + 1, border cells never fire), so the 8-neighbour test needs no bounds tests. Every event
 * is written at out[kept] and `kept` advances only for supported events: no branch on the outcome, no second
 * pass. Why the code looks the way it does (each point measured on the tiled sparklers stream):
 * - plain typed arrays and numbers as parameters, converted to int32 / double once before the loop, so the
 *   optimised loop holds them untagged in registers;
 * - four events per iteration: V8 checks each typed array once per iteration instead of once per access;
 * - a scalar head of 1 to 4 events (the remainder, so the unrolled loop needs no tail) that runs first. V8
 *   still deoptimises once per call at the final cursor stores (the loop is compiled during its first long call,
 *   before those stores ever ran); a copy warmed up on tiny batches, without these deopts, was no faster;
 * - the support test stops at the first recent neighbour. The left and right neighbours answer most of the time
 *   (on the sparklers EVT2 stream the left one, usually the previous event of the readout, supports 85 % of
 *   events and the right one 9 %), so they are tested together without a branch (the sign of
 *   (limit - a) | (limit - b) is set when a or b is later than limit; every operand lies within ±2^30): that
 *   halves the mispredicted branches and was 14 % faster than testing them one by one.
 *
 * supportRelative is the JavaScript path: by default the WebAssembly twin in native/filters/filters.c (wasmFilters.ts)
 * runs instead, with identical results; SPIKEFLOW_NO_WASM=1 (or a module that does not compile) selects this one.
 */

/**
 * Events from..n with last times relative to `base` in `map` (int32, see relativeTimes.ts). `window` is the
 * integer window, `selfBar` 0 when the pixel itself counts as support and 2^30 (beyond any entry) when not. Stops
 * at the first event whose time does not fit the relative map and leaves [next event, kept] in `cursor`.
 */
export function supportRelative(
  t: Float64Array,
  x: Uint16Array,
  y: Uint16Array,
  p: Uint8Array,
  from: number,
  count: number,
  map: Int32Array,
  baseTime: number,
  stride: number,
  windowUs: number,
  selfBar: number,
  ot: Float64Array,
  ox: Uint16Array,
  oy: Uint16Array,
  op: Uint8Array,
  kept: number,
  cursor: Int32Array,
): void {
  const n = count | 0;
  const s = stride | 0;
  const w = windowUs | 0;
  const self = selfBar | 0;
  const base = +baseTime;
  // An imported constant is a context load and Smi check per use in the loop; a local one is a register.
  const outside = OUTSIDE_SPAN | 0;
  let i = from | 0;
  let k = kept | 0;
  const headEnd = i + Math.min(n - i, (n - i) & 3 || 4);
  for (; i < headEnd; i++) {
    const ti = t[i];
    const d = ti - base;
    const r = d | 0;
    if (r !== d || (r & outside) !== 0) break;
    const xi = x[i];
    const yi = y[i];
    const c = (yi + 1) * s + xi + 1;
    const limit = r - w;
    const keep =
      ((limit - map[c - 1]) | (limit - map[c + 1])) < 0 ||
      map[c - s] > limit || map[c - s - 1] > limit || map[c - s + 1] > limit ||
      map[c + s] > limit || map[c + s - 1] > limit || map[c + s + 1] > limit ||
      map[c] > limit + self
        ? 1
        : 0;
    map[c] = r;
    ot[k] = ti;
    ox[k] = xi;
    oy[k] = yi;
    op[k] = p[i];
    k += keep;
  }
  if (i === headEnd) {
    for (; i < n; i += 4) {
      const t0 = t[i];
      const t1 = t[i + 1];
      const t2 = t[i + 2];
      const t3 = t[i + 3];
      const d0 = t0 - base;
      const d1 = t1 - base;
      const d2 = t2 - base;
      const d3 = t3 - base;
      const r0 = d0 | 0;
      const r1 = d1 | 0;
      const r2 = d2 | 0;
      const r3 = d3 | 0;
      if (r0 !== d0 || r1 !== d1 || r2 !== d2 || r3 !== d3 || ((r0 | r1 | r2 | r3) & outside) !== 0) break;
      const x0 = x[i];
      const x1 = x[i + 1];
      const x2 = x[i + 2];
      const x3 = x[i + 3];
      const y0 = y[i];
      const y1 = y[i + 1];
      const y2 = y[i + 2];
      const y3 = y[i + 3];
      const p0 = p[i];
      const p1 = p[i + 1];
      const p2 = p[i + 2];
      const p3 = p[i + 3];

      let c = (y0 + 1) * s + x0 + 1;
      let limit = r0 - w;
      let keep =
        ((limit - map[c - 1]) | (limit - map[c + 1])) < 0 ||
        map[c - s] > limit || map[c - s - 1] > limit || map[c - s + 1] > limit ||
        map[c + s] > limit || map[c + s - 1] > limit || map[c + s + 1] > limit ||
        map[c] > limit + self
          ? 1
          : 0;
      map[c] = r0;
      ot[k] = t0;
      ox[k] = x0;
      oy[k] = y0;
      op[k] = p0;
      k += keep;

      c = (y1 + 1) * s + x1 + 1;
      limit = r1 - w;
      keep =
        ((limit - map[c - 1]) | (limit - map[c + 1])) < 0 ||
        map[c - s] > limit || map[c - s - 1] > limit || map[c - s + 1] > limit ||
        map[c + s] > limit || map[c + s - 1] > limit || map[c + s + 1] > limit ||
        map[c] > limit + self
          ? 1
          : 0;
      map[c] = r1;
      ot[k] = t1;
      ox[k] = x1;
      oy[k] = y1;
      op[k] = p1;
      k += keep;

      c = (y2 + 1) * s + x2 + 1;
      limit = r2 - w;
      keep =
        ((limit - map[c - 1]) | (limit - map[c + 1])) < 0 ||
        map[c - s] > limit || map[c - s - 1] > limit || map[c - s + 1] > limit ||
        map[c + s] > limit || map[c + s - 1] > limit || map[c + s + 1] > limit ||
        map[c] > limit + self
          ? 1
          : 0;
      map[c] = r2;
      ot[k] = t2;
      ox[k] = x2;
      oy[k] = y2;
      op[k] = p2;
      k += keep;

      c = (y3 + 1) * s + x3 + 1;
      limit = r3 - w;
      keep =
        ((limit - map[c - 1]) | (limit - map[c + 1])) < 0 ||
        map[c - s] > limit || map[c - s - 1] > limit || map[c - s + 1] > limit ||
        map[c + s] > limit || map[c + s - 1] > limit || map[c + s + 1] > limit ||
        map[c] > limit + self
          ? 1
          : 0;
      map[c] = r3;
      ot[k] = t3;
      ox[k] = x3;
      oy[k] = y3;
      op[k] = p3;
      k += keep;
    }
  }
  cursor[0] = i;
  cursor[1] = k;
}

/**
 * The same rule on absolute times (Float64Array, -Infinity: never), for streams the relative map cannot hold
 * exactly. `selfBar` is 0 or +Infinity. Runs to the end of the batch; returns the new kept count.
 */
export function supportAbsolute(
  t: Float64Array,
  x: Uint16Array,
  y: Uint16Array,
  p: Uint8Array,
  from: number,
  n: number,
  map: Float64Array,
  stride: number,
  windowUs: number,
  selfBar: number,
  ot: Float64Array,
  ox: Uint16Array,
  oy: Uint16Array,
  op: Uint8Array,
  kept: number,
): number {
  const s = stride;
  let k = kept;
  for (let i = from; i < n; i++) {
    const ti = t[i];
    const xi = x[i];
    const yi = y[i];
    const c = (yi + 1) * s + xi + 1;
    const limit = ti - windowUs;
    const keep =
      map[c - 1] > limit || map[c + 1] > limit || map[c - s] > limit || map[c - s - 1] > limit ||
      map[c - s + 1] > limit || map[c + s] > limit || map[c + s - 1] > limit || map[c + s + 1] > limit ||
      map[c] > limit + selfBar
        ? 1
        : 0;
    map[c] = ti;
    ot[k] = ti;
    ox[k] = xi;
    oy[k] = yi;
    op[k] = p[i];
    k += keep;
  }
  return k;
}
