// The hot loops of the background-activity and refractory filters in WebAssembly (SIMD128), built into
// src/operators/kernels/filters.wasm by build.sh. The JavaScript twins, and the rules both implement, are in
// src/operators/kernels/backgroundActivityLoops.ts and refractoryLoops.ts; both paths give identical events.
//
// Each filter state owns one instance. JS copies up to CAPACITY events into T, X, Y, P, calls a
// kernel, and copies the kept events out of the same arrays: the kernels compact kept events in place (event i
// is moved to slot k <= i after it was read). Last-time maps are int32 times relative to a base, exactly as in
// src/operators/kernels/relativeTimes.ts; JS owns the map (it rebases it, or gives it up for absolute times)
// and only passes its address.
#include <stdint.h>
#include <wasm_simd128.h>

// A decoder's usual batch (64 Ki events) fits one call, so its kept events go straight from here into the
// output arrays.
#define CAPACITY 65536
// Bits 29..31: a relative time r is held only when 0 <= r < 2^29 (relativeTimes.ts: SPAN, OUTSIDE_SPAN).
#define OUTSIDE_SPAN ((int32_t)0xE0000000)

static double T[CAPACITY];
static int32_t R[CAPACITY];
static uint16_t X[CAPACITY];
static uint16_t Y[CAPACITY];
static uint8_t P[CAPACITY];
// Events taken by the last call: a kernel stops before the first time the relative map cannot hold.
static int32_t taken;

// Addresses JS needs: T, X, Y, P, &taken, CAPACITY.
__attribute__((export_name("filters_layout")))
uint32_t filters_layout(int32_t which) {
  switch (which) {
    case 0: return (uint32_t)(uintptr_t)T;
    case 1: return (uint32_t)(uintptr_t)X;
    case 2: return (uint32_t)(uintptr_t)Y;
    case 3: return (uint32_t)(uintptr_t)P;
    case 4: return (uint32_t)(uintptr_t)&taken;
    default: return CAPACITY;
  }
}

// R[i] = T[i] - base for the leading events whose relative time is an integer in [0, 2^29); returns how many.
// Two events per step: a truncation that does not convert back to the same double (fraction, NaN, out of int32
// range) or lands outside the span ends the run; the scalar tail finds the exact event.
static int32_t relative_times(int32_t n, double base) {
  const v128_t b = wasm_f64x2_splat(base);
  const v128_t outside = wasm_i32x4_splat(OUTSIDE_SPAN);
  int32_t i = 0;
  for (; i + 2 <= n; i += 2) {
    v128_t d = wasm_f64x2_sub(wasm_v128_load(T + i), b);
    v128_t r = wasm_i32x4_trunc_sat_f64x2_zero(d);
    v128_t inexact = wasm_v128_not(wasm_f64x2_eq(wasm_f64x2_convert_low_i32x4(r), d));
    if (wasm_v128_any_true(wasm_v128_or(inexact, wasm_i64x2_extend_low_i32x4(wasm_v128_and(r, outside))))) break;
    wasm_v128_store64_lane(R + i, r, 0);
  }
  for (; i < n; i++) {
    double d = T[i] - base;
    int32_t r = __builtin_wasm_trunc_saturate_s_i32_f64(d);
    if ((double)r != d || (r & OUTSIDE_SPAN) != 0) break;
    R[i] = r;
  }
  return i;
}

// Background activity over the first n events (see backgroundActivityLoops.ts for the rule). `map` is the
// padded surface ((y + 1) * stride + x + 1; border cells never fire) with at least 2 cells of slack after it.
// The 8 neighbours and the pixel itself are tested with three 4-cell loads (the rows above, at and below,
// from x - 1 to x + 2) and per-lane bars: lane 3 of every row and, without includeSelf, the pixel's own lane
// get a bar of 2^30 above the limit, which no entry (< 2^29) exceeds. No branch on the outcome, so noise
// (unpredictable support) costs no mispredictions. `selfBar` is 0 or 2^30. Returns the kept count.
__attribute__((export_name("background_activity")))
int32_t background_activity(int32_t n, int32_t *map, double base, int32_t stride, int32_t window, int32_t selfBar) {
  const int32_t valid = relative_times(n, base);
  int32_t *const origin = map + stride + 1;
  const v128_t rowBars = wasm_i32x4_make(0, 0, 0, 1 << 30);
  const v128_t ownBars = wasm_i32x4_make(0, selfBar, 0, 1 << 30);
  int32_t k = 0;
  for (int32_t i = 0; i < valid; i++) {
    const int32_t r = R[i];
    const int32_t c = Y[i] * stride + X[i];
    int32_t *const cell = origin + c;
    const v128_t limit = wasm_i32x4_splat(r - window);
    const v128_t above = wasm_v128_load(cell - stride - 1);
    const v128_t below = wasm_v128_load(cell + stride - 1);
    const v128_t own = wasm_v128_load(cell - 1);
    const v128_t recent = wasm_v128_or(
        wasm_i32x4_gt(wasm_i32x4_max(above, below), wasm_i32x4_add(limit, rowBars)),
        wasm_i32x4_gt(own, wasm_i32x4_add(limit, ownBars)));
    *cell = r;
    T[k] = T[i];
    X[k] = X[i];
    Y[k] = Y[i];
    P[k] = P[i];
    k += wasm_v128_any_true(recent);
  }
  taken = valid;
  return k;
}

// Refractory over the first n events (see refractoryLoops.ts): one cell per pixel (y * width + x), or per pixel
// and polarity ((y * width + x) * 2 + p) with cellsPerPixel 2 and polarityMask 1. Keeps an event when its cell's
// last time is at least `period` (integer) before; every event restarts the period. Returns the kept count.
__attribute__((export_name("refractory")))
int32_t refractory(int32_t n, int32_t *map, double base, int32_t width, int32_t cellsPerPixel, int32_t polarityMask,
                   int32_t period) {
  const int32_t valid = relative_times(n, base);
  // keep <=> r - last >= period <=> (period - 1) - r + last < 0: the sign bit is the keep flag.
  const int32_t bar = period - 1;
  int32_t k = 0;
  // A refractory filter keeps a minority: one index store per event (into R, whose entry i was just read), then
  // the kept events are moved down (slot k <= index i, ascending, so in place).
  for (int32_t i = 0; i < valid; i++) {
    const int32_t r = R[i];
    const int32_t c = (Y[i] * width + X[i]) * cellsPerPixel + (P[i] & polarityMask);
    const int32_t keep = (int32_t)((uint32_t)(bar - r + map[c]) >> 31);
    map[c] = r;
    R[k] = i;
    k += keep;
  }
  for (int32_t j = 0; j < k; j++) {
    const int32_t i = R[j];
    T[j] = T[i];
    X[j] = X[i];
    Y[j] = Y[i];
    P[j] = P[i];
  }
  taken = valid;
  return k;
}
