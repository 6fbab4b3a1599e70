/*
 * DV (AEDAT 4.0) event structs to struct-of-arrays. A DV event is 16 bytes, little-endian:
 * int64 t (µs), int16 x, int16 y, bool on, 3 bytes padding. Written into wasm memory as EventBatch wants
 * them: t as f64 (the int64 rounded to nearest, like JavaScript's lo + hi * 2^32), x and y as u16, p as u8.
 */
#include <wasm_simd128.h>

#include "kernels.h"

static double last_time;

/* The last accepted time stamp of the previous dv_events_to_arrays call. */
EXPORT(dv_last_time) double dv_last_time(void) { return last_time; }

/* 2^52 as a double, and its bit pattern: OR-ing an integer 0 <= t < 2^52 into the mantissa gives 2^52 + t. */
#define TWO52 4503599627370496.0
#define TWO52_BITS 0x4330000000000000LL
#define ABOVE_52_BITS ((int64_t)0xfff0000000000000ULL)

/*
 * Four events at a time with SIMD: the gathers are byte shuffles, the checks are lane compares, and each
 * field is written with one store per four events. Returns 0 when the group needs the scalar loop: an event
 * fails a check (the scalar loop finds which), or a t outside 0..2^52 (where the exact conversion trick
 * does not apply).
 */
static inline int four_events(const uint8_t *e, double *t, uint16_t *x, uint16_t *y, uint8_t *p, v128_t width,
                              v128_t height, double *last) {
  const v128_t e0 = wasm_v128_load(e);
  const v128_t e1 = wasm_v128_load(e + 16);
  const v128_t e2 = wasm_v128_load(e + 32);
  const v128_t e3 = wasm_v128_load(e + 48);
  const v128_t t01 = wasm_i64x2_shuffle(e0, e1, 0, 2);
  const v128_t t23 = wasm_i64x2_shuffle(e2, e3, 0, 2);
  if (wasm_v128_any_true(wasm_v128_and(wasm_v128_or(t01, t23), wasm_i64x2_splat(ABOVE_52_BITS)))) return 0;
  const v128_t f01 = wasm_f64x2_sub(wasm_v128_or(t01, wasm_i64x2_splat(TWO52_BITS)), wasm_f64x2_splat(TWO52));
  const v128_t f23 = wasm_f64x2_sub(wasm_v128_or(t23, wasm_i64x2_splat(TWO52_BITS)), wasm_f64x2_splat(TWO52));
  /* Each t against its predecessor: (last, t0) and (t1, t2). */
  const v128_t before01 = wasm_i64x2_shuffle(wasm_f64x2_splat(*last), f01, 1, 2);
  const v128_t before23 = wasm_i64x2_shuffle(f01, f23, 1, 2);
  const v128_t ordered = wasm_v128_and(wasm_f64x2_ge(f01, before01), wasm_f64x2_ge(f23, before23));
  /* Words 2 (x | y << 16) and 3 (on in its low byte) of the four events. */
  const v128_t tail01 = wasm_i64x2_shuffle(e0, e1, 1, 3);
  const v128_t tail23 = wasm_i64x2_shuffle(e2, e3, 1, 3);
  const v128_t xy = wasm_i32x4_shuffle(tail01, tail23, 0, 2, 4, 6);
  const v128_t on = wasm_i32x4_shuffle(tail01, tail23, 1, 3, 5, 7);
  const v128_t xs = wasm_v128_and(xy, wasm_i32x4_splat(0xffff));
  const v128_t ys = wasm_u32x4_shr(xy, 16);
  const v128_t inside = wasm_v128_and(wasm_u32x4_lt(xs, width), wasm_u32x4_lt(ys, height));
  if (!wasm_i64x2_all_true(ordered) || !wasm_i32x4_all_true(inside)) return 0;
  wasm_v128_store(t, f01);
  wasm_v128_store(t + 2, f23);
  const v128_t xy16 = wasm_u16x8_narrow_i32x4(xs, ys); /* x0..x3, y0..y3 */
  wasm_v128_store64_lane(x, xy16, 0);
  wasm_v128_store64_lane(y, xy16, 1);
  const v128_t p32 = wasm_v128_and(wasm_i32x4_ne(wasm_v128_and(on, wasm_i32x4_splat(0xff)), wasm_i32x4_splat(0)), wasm_i32x4_splat(1));
  const v128_t p16 = wasm_u16x8_narrow_i32x4(p32, p32);
  wasm_v128_store32_lane(p, wasm_u8x16_narrow_i16x8(p16, p16), 0);
  *last = wasm_f64x2_extract_lane(f23, 1);
  return 1;
}

/*
 * Converts up to `count` events from `src` and returns how many were accepted: fewer than `count` means the
 * next one is out of range (x >= width, y >= height; negative int16 values read as >= 32768) or earlier
 * than its predecessor (`last` on entry). The caller reports that event from the source bytes.
 */
EXPORT(dv_events_to_arrays)
uint32_t dv_events_to_arrays(const uint8_t *src, uint32_t count, double *t, uint16_t *x, uint16_t *y, uint8_t *p,
                             uint32_t width, uint32_t height, double last) {
  uint32_t i = 0;
  const v128_t width_v = wasm_i32x4_splat((int32_t)width);
  const v128_t height_v = wasm_i32x4_splat((int32_t)height);
  while (i + 4 <= count && four_events(src + 16 * i, t + i, x + i, y + i, p + i, width_v, height_v, &last)) i += 4;
  for (; i < count; i++) {
    const uint8_t *const e = src + 16 * i;
    int64_t time;
    uint32_t xy;
    __builtin_memcpy(&time, e, 8);
    __builtin_memcpy(&xy, e + 8, 4);
    const double td = (double)time;
    const uint32_t xi = xy & 0xffff;
    const uint32_t yi = xy >> 16;
    if (td < last || xi >= width || yi >= height) break;
    t[i] = td;
    x[i] = (uint16_t)xi;
    y[i] = (uint16_t)yi;
    p[i] = e[12] != 0;
    last = td;
  }
  last_time = last;
  return i;
}
