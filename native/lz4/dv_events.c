/*
 * DV (AEDAT 4.0) event structs to struct-of-arrays. A DV event is 16 bytes, little-endian:
 * int64 t (µs), int16 x, int16 y, bool on, 3 bytes padding. Written into wasm memory as EventBatch wants
 * them: t as f64 (the int64 rounded to nearest, like JavaScript's lo + hi * 2^32), x and y as u16, p as u8.
 */
#include "kernels.h"

static double last_time;

/* The last accepted time stamp of the previous dv_events_to_arrays call. */
EXPORT(dv_last_time) double dv_last_time(void) { return last_time; }

/*
 * Converts up to `count` events from `src` and returns how many were accepted: fewer than `count` means the
 * next one is out of range (x >= width, y >= height; negative int16 values read as >= 32768) or earlier
 * than its predecessor (`last` on entry). The caller reports that event from the source bytes.
 */
EXPORT(dv_events_to_arrays)
uint32_t dv_events_to_arrays(const uint8_t *src, uint32_t count, double *t, uint16_t *x, uint16_t *y, uint8_t *p,
                             uint32_t width, uint32_t height, double last) {
  uint32_t i = 0;
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
