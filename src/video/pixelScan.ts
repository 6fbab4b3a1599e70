/**
 * The per-pixel scanning kernels of the DVS model: pure loops over typed arrays that find the pixels whose
 * intensity crossed a threshold since the previous frame. They only list those pixels (`fired`); the model then
 * works out each one's events, which is rare work. Module-level functions over plain typed arrays keep V8's
 * optimised code monomorphic and the loops allocation-free.
 */

/** Slack (log units) when testing crossings: a step of exactly k·θ computed in doubles may fall an ulp short. */
export const CROSSING_EPS = 1e-9;

/** SWAR masks: the top bit of each byte lane, and the other seven. */
const HIGH_BITS = 0x80808080 | 0;
const LOW_BITS = 0x7f7f7f7f;

/**
 * Fast path for 8-bit frames without photoreceptor filter, leak or refractory period: each pixel's thresholds
 * are kept as byte levels, `above[i]` (it fires on a byte above it) and `below[i]` (on a byte below it), in two
 * planes, so the scan reads three bytes per pixel. With 32-bit views of the frame and of the planes (`data32`,
 * `above32`, `below32`: the same bytes), four pixels are tested at once with byte-lane arithmetic (SWAR) and
 * only a word holding a firing pixel is looked at byte by byte; fired pixels are rare even in busy scenes.
 * Returns the number of pixels written to `fired`, ascending.
 */
export function scanByteBands(
  data: Uint8Array,
  data32: Uint32Array | undefined,
  above: Uint8Array,
  below: Uint8Array,
  above32: Uint32Array,
  below32: Uint32Array,
  n: number,
  fired: Uint32Array,
): number {
  let count = 0;
  let start = 0;
  if (data32) {
    const words = n >>> 2;
    for (let w = 0; w < words; w++) {
      const d = data32[w];
      const hi = above32[w];
      const lo = below32[w];
      // Per byte lane, the top bit of (a | 0x80) - (b & 0x7f) says a_low7 >= b_low7 (no borrow crosses lanes:
      // each lane stays in 1..255); combined with the lanes' own top bits it gives a >= b for whole bytes.
      const r1 = ((hi | HIGH_BITS) - (d & LOW_BITS)) | 0;
      const withinAbove = ((hi & ~d) | (~(hi ^ d) & r1)) & HIGH_BITS; // hi >= d
      const r2 = ((d | HIGH_BITS) - (lo & LOW_BITS)) | 0;
      const withinBelow = ((d & ~lo) | (~(d ^ lo) & r2)) & HIGH_BITS; // d >= lo
      if ((withinAbove & withinBelow) === HIGH_BITS) continue;
      for (let i = w << 2, end = i + 4; i < end; i++) {
        const v = data[i];
        if (v > above[i] || v < below[i]) fired[count++] = i;
      }
    }
    start = words << 2;
  }
  for (let i = start; i < n; i++) {
    const v = data[i];
    if (v > above[i] || v < below[i]) fired[count++] = i;
  }
  return count;
}

/**
 * General path: log intensities `log1` (already low-passed if the filter is on) against the references. Leak is
 * a global phase: pixel i's effective reference is `ref[i] − thOn[i] · leakPhase`, so leaking writes nothing.
 * Fired pixels are listed in `fired`; returns their number.
 */
export function scanLogLevels(
  log1: Float64Array,
  ref: Float64Array,
  thOn: Float64Array,
  thOff: Float64Array,
  leakPhase: number,
  n: number,
  fired: Uint32Array,
): number {
  let count = 0;
  for (let i = 0; i < n; i++) {
    const th = thOn[i];
    const d1 = log1[i] - ref[i] + th * leakPhase;
    if (d1 + CROSSING_EPS >= th || d1 - CROSSING_EPS <= -thOff[i]) fired[count++] = i;
  }
  return count;
}

/**
 * The low-pass photoreceptor and the crossing test in one pass (8-bit input): `next = previous + gain[v] ·
 * (lut[v] − previous)` with `gain[v]` the per-level filter gain of this interval, then the test of
 * `scanLogLevels` on `next`. Returns the number of fired pixels.
 */
export function lowPassAndScan(
  data: Uint8Array,
  lut: Float64Array,
  gain: Float64Array,
  previous: Float64Array,
  next: Float64Array,
  ref: Float64Array,
  thOn: Float64Array,
  thOff: Float64Array,
  leakPhase: number,
  n: number,
  fired: Uint32Array,
): number {
  let count = 0;
  for (let i = 0; i < n; i++) {
    const v = data[i];
    const l0 = previous[i];
    const l1 = l0 + gain[v] * (lut[v] - l0);
    next[i] = l1;
    const th = thOn[i];
    const d1 = l1 - ref[i] + th * leakPhase;
    if (d1 + CROSSING_EPS >= th || d1 - CROSSING_EPS <= -thOff[i]) fired[count++] = i;
  }
  return count;
}

/**
 * Inverse of an 8-bit log table: the byte level at which a log value is reached, in O(1). The log axis is cut
 * into bins narrower than the smallest step between two levels, each remembering the first level at or above
 * its start, so a lookup is one table read and at most one step. Used to keep the fast path's byte levels
 * current after a pixel fired (binary searches there cost more than the events themselves).
 */
export class LevelIndex {
  private readonly lut: Float64Array;
  private readonly low: number;
  private readonly high: number;
  private readonly scale: number;
  private readonly firstLevel: Uint16Array;

  constructor(lut: Float64Array) {
    this.lut = lut;
    this.low = lut[0];
    this.high = lut[255];
    let minStep = Infinity;
    for (let v = 1; v < 256; v++) minStep = Math.min(minStep, lut[v] - lut[v - 1]);
    const bins = Math.min(1 << 20, Math.ceil((this.high - this.low) / minStep) * 2 + 1);
    this.scale = bins / (this.high - this.low);
    this.firstLevel = new Uint16Array(bins + 1);
    let v = 0;
    for (let b = 0; b <= bins; b++) {
      const start = this.low + b / this.scale;
      while (v < 255 && lut[v] < start) v++;
      this.firstLevel[b] = v;
    }
  }

  /** Smallest level whose log value is at least `x` (256 when none). */
  atLeast(x: number): number {
    if (x <= this.low) return 0;
    if (x > this.high) return 256;
    const lut = this.lut;
    let v = this.firstLevel[Math.floor((x - this.low) * this.scale)];
    while (lut[v] < x) v++;
    return v;
  }

  /** Largest level whose log value is at most `x` (-1 when none). */
  atMost(x: number): number {
    if (x < this.low) return -1;
    if (x >= this.high) return 255;
    const lut = this.lut;
    let v = this.firstLevel[Math.floor((x - this.low) * this.scale)];
    while (lut[v] <= x) v++;
    return v - 1;
  }
}

/** Smallest byte level whose log value is at least `upper` (256 when none), by binary search (reference for LevelIndex). */
export function firstLevelAtLeast(lut: Float64Array, upper: number): number {
  let lo = 0;
  let hi = 256;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (lut[mid] >= upper) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Largest byte level whose log value is at most `lower` (-1 when none). */
export function lastLevelAtMost(lut: Float64Array, lower: number): number {
  let lo = 0;
  let hi = 256;
  // Smallest v with lut[v] > lower, minus one.
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (lut[mid] > lower) hi = mid;
    else lo = mid + 1;
  }
  return lo - 1;
}
