import { OUTSIDE_SPAN } from './relativeTimes.ts';

/*
 * The hot loops of the refractory filter: one map entry per pixel (index y * width + x), or per pixel and
 * polarity (index (y * width + x) * 2 + p) with `cellsPerPixel` 2 and `polarityMask` 1. Every event's index is
 * written at indices[kept] and `kept` advances only for kept events (no branch); the kernel then gathers the
 * kept events. A refractory filter typically keeps a minority of events (16 % of the sparklers stream at 1 ms),
 * so one index store per event and a gather of the few kept ones beat writing t, x, y and p for every event
 * (+27 % measured). The shape of the loops (untagged parameters, four events per iteration, a scalar head that
 * runs on every call) is explained in backgroundActivityLoops.ts.
 *
 * refractoryRelative is the JavaScript path: by default the WebAssembly twin in native/filters/filters.c (wasmFilters.ts)
 * runs instead, with identical results; SPIKEFLOW_NO_WASM=1 (or a module that does not compile) selects this one.
 */

/**
 * Events from..n with last times relative to `base` (int32, see relativeTimes.ts) and an integer period. Stops at
 * the first event whose time does not fit the relative map and leaves [next event, kept] in `cursor`.
 */
export function refractoryRelative(
  t: Float64Array,
  x: Uint16Array,
  y: Uint16Array,
  p: Uint8Array,
  from: number,
  count: number,
  map: Int32Array,
  baseTime: number,
  width: number,
  cellsPerPixel: number,
  polarityMask: number,
  periodUs: number,
  indices: Int32Array,
  kept: number,
  cursor: Int32Array,
): void {
  const n = count | 0;
  const w = width | 0;
  const cells = cellsPerPixel | 0;
  const mask = polarityMask | 0;
  // keep <=> r - last >= period <=> (period - 1) - r + last < 0: the sign bit is the keep flag, no branch.
  const bar = (periodUs | 0) - 1;
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
    const pi = p[i];
    const c = (yi * w + xi) * cells + (pi & mask);
    const keep = (bar - r + map[c]) >>> 31;
    map[c] = r;
    indices[k] = i;
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
      // Sequential on purpose: two of the four events may share a pixel.
      const c0 = (y0 * w + x0) * cells + (p0 & mask);
      indices[k] = i;
      k += (bar - r0 + map[c0]) >>> 31;
      map[c0] = r0;
      const c1 = (y1 * w + x1) * cells + (p1 & mask);
      indices[k] = i + 1;
      k += (bar - r1 + map[c1]) >>> 31;
      map[c1] = r1;
      const c2 = (y2 * w + x2) * cells + (p2 & mask);
      indices[k] = i + 2;
      k += (bar - r2 + map[c2]) >>> 31;
      map[c2] = r2;
      const c3 = (y3 * w + x3) * cells + (p3 & mask);
      indices[k] = i + 3;
      k += (bar - r3 + map[c3]) >>> 31;
      map[c3] = r3;
    }
  }
  cursor[0] = i;
  cursor[1] = k;
}

/**
 * The same rule on absolute times (Float64Array, -Infinity: never), for streams the relative map cannot hold
 * exactly. Runs to the end of the batch; returns the new kept count.
 */
export function refractoryAbsolute(
  t: Float64Array,
  x: Uint16Array,
  y: Uint16Array,
  p: Uint8Array,
  from: number,
  n: number,
  map: Float64Array,
  width: number,
  cellsPerPixel: number,
  polarityMask: number,
  periodUs: number,
  indices: Int32Array,
  kept: number,
): number {
  let k = kept;
  for (let i = from; i < n; i++) {
    const ti = t[i];
    const xi = x[i];
    const yi = y[i];
    const pi = p[i];
    const c = (yi * width + xi) * cellsPerPixel + (pi & polarityMask);
    const keep = ti - map[c] >= periodUs ? 1 : 0;
    map[c] = ti;
    indices[k] = i;
    k += keep;
  }
  return k;
}
