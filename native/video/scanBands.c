// The DVS model's per-frame pixel scan (fast path) with WebAssembly SIMD: 16 pixels per test.
// Built into src/video/scanBands.wasm by build.sh; the JavaScript twin is scanByteBands in ../pixelScan.ts.
#include <stdint.h>
#include <wasm_simd128.h>

// Lists, ascending, every pixel i < n whose byte data[i] is above above[i] or below below[i]; returns how many.
// Firing pixels are rare, so a 16-pixel block that holds none costs three loads, two compares and a test.
__attribute__((export_name("scan_bands")))
uint32_t scan_bands(const uint8_t *data, const uint8_t *above, const uint8_t *below, uint32_t n, uint32_t *fired) {
  uint32_t count = 0;
  uint32_t i = 0;
  for (; i + 16 <= n; i += 16) {
    v128_t d = wasm_v128_load(data + i);
    v128_t out = wasm_v128_or(wasm_u8x16_gt(d, wasm_v128_load(above + i)), wasm_u8x16_lt(d, wasm_v128_load(below + i)));
    if (!wasm_v128_any_true(out)) continue;
    uint32_t mask = wasm_i8x16_bitmask(out);
    while (mask) {
      fired[count++] = i + (uint32_t)__builtin_ctz(mask);
      mask &= mask - 1;
    }
  }
  for (; i < n; i++) {
    if (data[i] > above[i] || data[i] < below[i]) fired[count++] = i;
  }
  return count;
}
