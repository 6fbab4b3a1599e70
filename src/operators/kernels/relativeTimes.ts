/**
 * Per-pixel "last event time" maps held as 32-bit integers relative to a base time, for the filters whose hot
 * loop compares a pixel's last time with the current one. An Int32Array is half the size of a Float64Array (a
 * 640 × 480 map fits the L2 cache) and integer compares are cheaper, which makes the background-activity and
 * refractory loops markedly faster. Exactness is kept for any time range:
 *
 * - A time t is held as r = t - base only when r is an integer with 0 <= r < SPAN (the loops test this for every
 *   event with one conversion and one compare, and stop at the first event that does not fit).
 * - When time runs SPAN µs or more past the base, the map is rebased to the new time: entries are shifted down and
 *   the ones that fall below NEVER are clamped to NEVER. That is exact because NEVER already lies at least SPAN
 *   µs before every later event, and windows and periods are at most SPAN µs: "older than SPAN" and "never"
 *   give the same answer to every later comparison.
 * - A time that is fractional or earlier than the base (the stream contract says integer µs that never decrease,
 *   but a hand-made stream may not obey it), or a window longer than SPAN µs, makes the filter switch for good to
 *   a Float64Array of absolute times (`toAbsolute`), with the very same rule. (Entries clamped to NEVER become
 *   "never" there: exact for every stream whose times do not go back by more than SPAN µs.)
 *
 * Ranges that keep every int32 operation of the loops exact: r in [0, 2^29), map entries in [-2^29, 2^29),
 * window or period in [1, 2^29], so differences such as r - entry and r - window + 2^30 stay inside ±2^31.
 */
export const SPAN = 2 ** 29;

/** Map entry of a pixel that never fired (or fired at least SPAN µs before the base). */
export const NEVER = -SPAN;

/** Bits 29..31 as an int32: `(r & OUTSIDE_SPAN) !== 0` when r is not in [0, SPAN). */
export const OUTSIDE_SPAN = -SPAN | 0;

/**
 * For integer times, `t - last < window` is the same as `t - last < ceil(window)` and `t - last >= period` the
 * same as `t - last >= ceil(period)`, so the relative loops use integer bounds. Undefined when the bound is
 * too long for the relative map (longer than SPAN µs).
 */
export function integerBound(us: number): number | undefined {
  const bound = Math.ceil(us);
  return bound <= SPAN ? bound : undefined;
}

export interface RelativeTimes {
  /** Last times relative to `base`, or undefined once the filter switched to absolute times. */
  relative: Int32Array | undefined;
  /** Absolute last times (-Infinity: never), once the filter switched to them. */
  absolute: Float64Array | undefined;
  /** The time that relative 0 stands for; NaN before the first event. */
  base: number;
}

/** Relative times for `cells` cells, in `map` when given (the WebAssembly loops keep it in their memory). */
export function createRelativeTimes(cells: number, map: Int32Array = new Int32Array(cells)): RelativeTimes {
  return { relative: map.fill(NEVER), absolute: undefined, base: NaN };
}

/**
 * Makes the relative map able to hold event time `t`, rebasing it to `t` when `t` lies SPAN µs or more past the
 * base (or at the first event). False when `t` cannot be held relative to any base without losing exactness
 * (fractional, or earlier than the base): the caller then switches to absolute times.
 */
export function admitTime(times: RelativeTimes, t: number): boolean {
  const map = times.relative;
  if (map === undefined || !Number.isSafeInteger(t)) return false;
  const offset = t - times.base;
  if (offset >= 0 && offset < SPAN) return true;
  if (offset < 0) return false;
  if (offset >= 2 * SPAN) {
    map.fill(NEVER); // every entry (< SPAN) lands below NEVER: one memset instead of a pass
  } else if (!Number.isNaN(offset)) {
    for (let i = 0; i < map.length; i++) {
      const shifted = map[i] - offset;
      map[i] = shifted < NEVER ? NEVER : shifted;
    }
  }
  times.base = t;
  return true;
}

/** Switches for good to a Float64Array of absolute times (idempotent) and returns it. */
export function toAbsolute(times: RelativeTimes): Float64Array {
  if (times.absolute !== undefined) return times.absolute;
  const map = times.relative!;
  const absolute = new Float64Array(map.length);
  for (let i = 0; i < map.length; i++) absolute[i] = map[i] === NEVER ? -Infinity : times.base + map[i];
  times.relative = undefined;
  return (times.absolute = absolute);
}
