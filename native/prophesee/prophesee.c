/*
 * Word-loop kernels of the Prophesee decoders (EVT 2.0, EVT 3.0, DAT) for WebAssembly.
 *
 * Each kernel is a fast prefix of the JavaScript kernel of the same format (src/formats/{evt2,evt3,dat}/
 * decoder.ts): it decodes words while they are well-formed and stops, without touching any state, on the first
 * word it will not take alone (a corrupt word, an unknown type). The JavaScript kernel then resumes at that word
 * and produces the DecodeError with its own message, so both paths fail at the same offset by construction.
 *
 * Everything lives at fixed addresses: JavaScript copies words into `input`, loads the stream state into
 * `state`, calls a kernel, copies the events out of the `out_*` arrays and saves the state back. Times are
 * carried as doubles (exact integers below 2^53) so that JavaScript reads them without BigInt.
 */
#include <stdint.h>
#include <wasm_simd128.h>

#define EVENT_CAPACITY (1 << 18)
#define TRIGGER_CAPACITY 4096
#define INPUT_BYTES (1 << 20)

enum { RAN_OUT = 0, OUTPUT_FULL = 1, NEEDS_JS = 2 };

typedef struct {
  /* EVT 2.0: base = TIME_HIGH time (-1 before the first); EVT 3.0: base = time base with loops, time = the
     current time; DAT: base = wraps * 2^32, time = the last raw 32-bit time. `last` = last event time. */
  double base, time, last;
  int32_t y, base_x, pol;
  int32_t width, height;
  /* Events and triggers in the output arrays (in and out). */
  int32_t events, triggers;
  /* Why the kernel returned: RAN_OUT, OUTPUT_FULL or NEEDS_JS. */
  int32_t stopped;
  /* Words of skipped types, by type (added up by JavaScript after each call, then cleared). */
  uint32_t counts[16];
} State;

static State state;
static uint64_t input[INPUT_BYTES / 8];
static double out_t[EVENT_CAPACITY];
static uint16_t out_x[EVENT_CAPACITY];
static uint16_t out_y[EVENT_CAPACITY];
static uint8_t out_p[EVENT_CAPACITY];
static double trig_t[TRIGGER_CAPACITY];
static uint8_t trig_id[TRIGGER_CAPACITY];
static uint8_t trig_value[TRIGGER_CAPACITY];

static uint32_t layout[12];

/* Addresses and capacities for JavaScript, in the order src/formats/prophesee/wasmKernels.ts reads them. */
uint32_t *pf_layout(void) {
  layout[0] = (uint32_t)(uintptr_t)&state;
  layout[1] = (uint32_t)(uintptr_t)input;
  layout[2] = INPUT_BYTES;
  layout[3] = (uint32_t)(uintptr_t)out_t;
  layout[4] = (uint32_t)(uintptr_t)out_x;
  layout[5] = (uint32_t)(uintptr_t)out_y;
  layout[6] = (uint32_t)(uintptr_t)out_p;
  layout[7] = EVENT_CAPACITY;
  layout[8] = (uint32_t)(uintptr_t)trig_t;
  layout[9] = (uint32_t)(uintptr_t)trig_id;
  layout[10] = (uint32_t)(uintptr_t)trig_value;
  layout[11] = TRIGGER_CAPACITY;
  return layout;
}

#define EVT2_LOOP ((int64_t)1 << 34)

/* EVT 2.0 over `n` 32-bit words of `input`; returns the words consumed. */
int32_t pf_evt2(int32_t n) {
  const uint32_t *words = (const uint32_t *)input;
  const uint32_t width = (uint32_t)state.width, height = (uint32_t)state.height;
  int64_t high = (int64_t)state.base, last = (int64_t)state.last;
  int32_t k = state.events, tk = state.triggers;
  int32_t stopped = RAN_OUT;
  int32_t i = 0;
  if (n > INPUT_BYTES / 4) n = INPUT_BYTES / 4;
  /* At most one event per word: limiting the words once keeps a capacity check out of the loop. */
  if (n > EVENT_CAPACITY - k) {
    n = EVENT_CAPACITY - k;
    stopped = OUTPUT_FULL;
  }
  const v128_t x_limit = wasm_u32x4_splat(width), y_limit = wasm_u32x4_splat(height);
  const v128_t mask11 = wasm_u32x4_splat(0x7ff), mask6 = wasm_u32x4_splat(63), two = wasm_u32x4_splat(2);
  for (; i < n; i++) {
    /* Four CD words at once when they are four valid events in time order (most of a stream): the SIMD lanes
       check them all, then store t, x, y, p four at a time. Anything else goes through the word loop below. */
    if (i + 4 <= n) {
      const v128_t w4 = wasm_v128_load(&words[i]);
      const v128_t types = wasm_u32x4_shr(w4, 28);
      const v128_t xs = wasm_v128_and(wasm_u32x4_shr(w4, 11), mask11);
      const v128_t ys = wasm_v128_and(w4, mask11);
      const v128_t lows = wasm_v128_and(wasm_u32x4_shr(w4, 22), mask6);
      /* Each lane's low time bits against the lane before (lane 0 against itself, then against `last`). */
      const v128_t before = wasm_i32x4_shuffle(lows, lows, 0, 0, 1, 2);
      const v128_t ok = wasm_v128_and(wasm_v128_and(wasm_u32x4_lt(types, two), wasm_u32x4_lt(xs, x_limit)),
                                      wasm_v128_and(wasm_u32x4_lt(ys, y_limit), wasm_u32x4_ge(lows, before)));
      if (wasm_i32x4_all_true(ok) && high + (int64_t)wasm_u32x4_extract_lane(lows, 0) >= last) {
        const v128_t base = wasm_f64x2_splat((double)high);
        wasm_v128_store(&out_t[k], wasm_f64x2_add(base, wasm_f64x2_convert_low_u32x4(lows)));
        wasm_v128_store(&out_t[k + 2], wasm_f64x2_add(base, wasm_f64x2_convert_low_u32x4(wasm_i32x4_shuffle(lows, lows, 2, 3, 2, 3))));
        wasm_v128_store64_lane(&out_x[k], wasm_u16x8_narrow_i32x4(xs, xs), 0);
        wasm_v128_store64_lane(&out_y[k], wasm_u16x8_narrow_i32x4(ys, ys), 0);
        const v128_t p16 = wasm_u16x8_narrow_i32x4(types, types);
        wasm_v128_store32_lane(&out_p[k], wasm_u8x16_narrow_i16x8(p16, p16), 0);
        last = high + (int64_t)wasm_u32x4_extract_lane(lows, 3);
        k += 4;
        i += 3;
        continue;
      }
    }
    const uint32_t w = words[i];
    const uint32_t type = w >> 28;
    if (type < 2) {
      const uint32_t x = (w >> 11) & 0x7ff, y = w & 0x7ff;
      const int64_t t = high + ((w >> 22) & 63);
      if ((x >= width) | (y >= height) | (t < last)) { stopped = NEEDS_JS; break; }
      last = t;
      out_t[k] = (double)t;
      out_x[k] = (uint16_t)x;
      out_y[k] = (uint16_t)y;
      out_p[k] = (uint8_t)type;
      k++;
    } else if (type == 0x8) {
      /* The 34-bit time wraps: a fall of more than half the range starts a new loop (as OpenEB counts). */
      int64_t next = (high < 0 ? 0 : high & ~(EVT2_LOOP - 1)) + (int64_t)(w & 0x0fffffff) * 64;
      if (next < high) {
        if (high - next <= EVT2_LOOP / 2) { stopped = NEEDS_JS; break; }
        next += EVT2_LOOP;
      }
      high = next;
    } else if (type == 0xa) {
      const int64_t t = high + ((w >> 22) & 63);
      if (t < last) { stopped = NEEDS_JS; break; }
      if (tk == TRIGGER_CAPACITY) { stopped = OUTPUT_FULL; break; }
      last = t;
      trig_t[tk] = (double)t;
      trig_id[tk] = (uint8_t)((w >> 8) & 0x1f);
      trig_value[tk] = (uint8_t)(w & 1);
      tk++;
    } else if (type >= 0xd) {
      state.counts[type]++;
    } else {
      stopped = NEEDS_JS;
      break;
    }
  }
  state.base = (double)high;
  state.last = (double)last;
  state.events = k;
  state.triggers = tk;
  state.stopped = stopped;
  return i;
}

/* Word types EVT 3.0 readers skip (CONTINUED_4, IMU, OTHERS, CONTINUED_12), as a bit set and as the lane of
   each in a register of four 16-bit counts. */
#define EVT3_SKIP_TYPES ((1u << 0x7) | (1u << 0xd) | (1u << 0xe) | (1u << 0xf))
static const uint64_t EVT3_SKIP_ONE[16] = {
    [0x7] = (uint64_t)1 << 0, [0xd] = (uint64_t)1 << 16, [0xe] = (uint64_t)1 << 32, [0xf] = (uint64_t)1 << 48};
static const uint8_t EVT3_SKIP_TYPE[4] = {0x7, 0xd, 0xe, 0xf};

#define EVT3_LOOP ((int64_t)1 << 24)
/* OpenEB counts a loop when the time base falls by at least this much (the largest base minus 10 periods). */
#define EVT3_LOOP_DROP (((int64_t)4095) * 4096 - (10 << 12))

/* EVT 3.0 over `n` 16-bit words of `input` (after the first TIME_HIGH); returns the words consumed. */
int32_t pf_evt3(int32_t n) {
  const uint16_t *words = (const uint16_t *)input;
  const uint32_t width = (uint32_t)state.width, height = (uint32_t)state.height;
  int64_t base = (int64_t)state.base, time = (int64_t)state.time, last = (int64_t)state.last;
  uint32_t y = (uint32_t)state.y, base_x = (uint32_t)state.base_x, pol = (uint32_t)state.pol;
  int32_t k = state.events, tk = state.triggers;
  int32_t stopped = RAN_OUT;
  int32_t i = 0;
  if (n > INPUT_BYTES / 2) n = INPUT_BYTES / 2;
  for (; i < n; i++) {
    /* A single event in its most common spelling, [TIME_HIGH] TIME_LOW ADDR_Y ADDR_X, in one step: sparse
       streams are mostly that, and word by word the branch on each word's type is mispredicted about once per
       event (whether a TIME_HIGH comes next). Here the optional TIME_HIGH is applied with selects and the three
       types are checked with one compare; a TIME_HIGH sent twice (the second a heartbeat, changing nothing) is
       taken too. Anything else (or a check that fails) takes the word loop below. */
    const uint32_t w = words[i];
    const uint32_t type = w >> 12;
    if (((1u << 0x6 | 1u << 0x8) >> type) & 1 && i + 9 <= n && k < EVENT_CAPACITY) {
      const uint32_t w0 = w;
      const uint32_t is_high = type == 0x8;
      /* Heartbeats: the same TIME_HIGH repeated (up to five times here) changes nothing after the first. The
         repeats among the next four words are counted without a branch: the first lane that differs. */
      uint64_t next4;
      __builtin_memcpy(&next4, &words[i + 1], 8);
      const uint64_t differ = next4 ^ ((uint64_t)w0 * 0x0001000100010001ull);
      const int32_t repeats = differ ? (int32_t)(__builtin_ctzll(differ) >> 4) : 4;
      const int32_t j = i + (is_high ? 1 + repeats : 0);
      uint64_t q;
      __builtin_memcpy(&q, &words[j], 8);
      if ((q & 0xf000f000f000ull) == 0x200000006000ull) {
        const int64_t high = (base & ~(EVT3_LOOP - 1)) + ((int64_t)(w0 & 0xfff) << 12);
        const uint32_t fell = high < base;
        const int64_t next_base = is_high ? (fell ? high + EVT3_LOOP : high) : base;
        const int64_t t = next_base + (int64_t)(q & 0xfff);
        const uint32_t row = (uint32_t)(q >> 16) & 0x7ff, x = (uint32_t)(q >> 32) & 0x7ff;
        const uint32_t bad = (is_high & fell & (base - high < EVT3_LOOP_DROP)) | (row >= height) | (x >= width) | (t < last);
        if (!bad) {
          base = next_base;
          time = t;
          last = t;
          y = row;
          out_t[k] = (double)t;
          out_x[k] = (uint16_t)x;
          out_y[k] = (uint16_t)row;
          out_p[k] = (uint8_t)((q >> 43) & 1);
          k++;
          i = j + 2;
          continue;
        }
      }
    }
    /* The most frequent types first, as direct branches (cheaper to predict than the switch's jump table). */
    if (type == 0x2) { /* ADDR_X */
      const uint32_t x = w & 0x7ff;
      if (x >= width || time < last) { stopped = NEEDS_JS; goto done; }
      if (k == EVENT_CAPACITY) { stopped = OUTPUT_FULL; goto done; }
      last = time;
      out_t[k] = (double)time;
      out_x[k] = (uint16_t)x;
      out_y[k] = (uint16_t)y;
      out_p[k] = (uint8_t)((w >> 11) & 1);
      k++;
      continue;
    }
    if (type == 0x6) { /* TIME_LOW */
      time = base + (w & 0xfff);
      continue;
    }
    if (type == 0x0) { /* ADDR_Y */
      const uint32_t row = w & 0x7ff;
      if (row >= height) { stopped = NEEDS_JS; goto done; }
      y = row;
      continue;
    }
    switch (type) {
      case 0x0: { /* ADDR_Y */
        const uint32_t row = w & 0x7ff;
        if (row >= height) { stopped = NEEDS_JS; goto done; }
        y = row;
        break;
      }
      case 0x2: { /* ADDR_X */
        const uint32_t x = w & 0x7ff;
        if (x >= width || time < last) { stopped = NEEDS_JS; goto done; }
        if (k == EVENT_CAPACITY) { stopped = OUTPUT_FULL; goto done; }
        last = time;
        out_t[k] = (double)time;
        out_x[k] = (uint16_t)x;
        out_y[k] = (uint16_t)y;
        out_p[k] = (uint8_t)((w >> 11) & 1);
        k++;
        break;
      }
      case 0x3: /* VECT_BASE_X */
        base_x = w & 0x7ff;
        pol = (w >> 11) & 1;
        break;
      case 0x4: /* VECT_12 */
      case 0x5: { /* VECT_8 */
        const uint32_t bits = (w >> 12) == 0x4 ? 12 : 8;
        uint32_t mask = w & (bits == 12 ? 0xfff : 0xff);
        if (time < last) { stopped = NEEDS_JS; goto done; }
        /* Bits at or beyond the sensor's right edge are corrupt. */
        if (base_x + bits > width && (mask >> (base_x < width ? width - base_x : 0)) != 0) { stopped = NEEDS_JS; goto done; }
        if (k > EVENT_CAPACITY - 12) { stopped = OUTPUT_FULL; goto done; }
        last = time;
        const double t = (double)time;
        while (mask != 0) {
          out_t[k] = t;
          out_x[k] = (uint16_t)(base_x + (uint32_t)__builtin_ctz(mask));
          out_y[k] = (uint16_t)y;
          out_p[k] = (uint8_t)pol;
          k++;
          mask &= mask - 1;
        }
        base_x += bits;
        break;
      }
      case 0x6: /* TIME_LOW */
        time = base + (w & 0xfff);
        break;
      case 0x8: { /* TIME_HIGH */
        int64_t next = (base / EVT3_LOOP) * EVT3_LOOP + (int64_t)(w & 0xfff) * 4096;
        if (next < base) {
          if (base - next < EVT3_LOOP_DROP) { stopped = NEEDS_JS; goto done; }
          next += EVT3_LOOP;
        }
        /* A repeated TIME_HIGH (a heartbeat) leaves the time where it is. */
        if (next != base) time = next;
        base = next;
        break;
      }
      case 0xa: /* EXT_TRIGGER */
        if (time < last) { stopped = NEEDS_JS; goto done; }
        if (tk == TRIGGER_CAPACITY) { stopped = OUTPUT_FULL; goto done; }
        last = time;
        trig_t[tk] = (double)time;
        trig_id[tk] = (uint8_t)((w >> 8) & 0xf);
        trig_value[tk] = (uint8_t)(w & 1);
        tk++;
        break;
      case 0x7: /* CONTINUED_4 */
      case 0xd: /* IMU */
      case 0xe: /* OTHERS */
      case 0xf: { /* CONTINUED_12 */
        /* Skipped words come in runs (OTHERS, CONTINUED_12, CONTINUED_12, CONTINUED_4, ...): one loop counts
           a run in four 16-bit lanes of a register, without a switch or a store per word. */
        const int32_t end = n - i > 0xffff ? i + 0xffff : n;
        uint64_t lanes = 0;
        int32_t r = i;
        do lanes += EVT3_SKIP_ONE[words[r++] >> 12];
        while (r < end && ((EVT3_SKIP_TYPES >> (words[r] >> 12)) & 1));
        for (int32_t s = 0; s < 4; s++) state.counts[EVT3_SKIP_TYPE[s]] += (uint32_t)(lanes >> (16 * s)) & 0xffff;
        i = r - 1;
        break;
      }
      default:
        stopped = NEEDS_JS;
        goto done;
    }
  }
done:
  state.base = (double)base;
  state.time = (double)time;
  state.last = (double)last;
  state.y = (int32_t)y;
  state.base_x = (int32_t)base_x;
  state.pol = (int32_t)pol;
  state.events = k;
  state.triggers = tk;
  state.stopped = stopped;
  return i;
}

#define TWO_32 ((int64_t)1 << 32)

/* DAT over `n` 8-byte records of `input`; returns the records consumed. */
int32_t pf_dat(int32_t n) {
  const uint32_t *words = (const uint32_t *)input;
  const uint32_t width = (uint32_t)state.width, height = (uint32_t)state.height;
  int64_t high = (int64_t)state.base;
  uint32_t last_raw = (uint32_t)state.time;
  int32_t k = state.events;
  int32_t stopped = RAN_OUT;
  int32_t i = 0;
  if (n > INPUT_BYTES / 8) n = INPUT_BYTES / 8;
  if (n > EVENT_CAPACITY - k) {
    n = EVENT_CAPACITY - k;
    stopped = OUTPUT_FULL;
  }
  const v128_t x_limit = wasm_u32x4_splat(width), y_limit = wasm_u32x4_splat(height);
  const v128_t mask14 = wasm_u32x4_splat(0x3fff), one = wasm_u32x4_splat(1);
  for (; i < n; i++) {
    /* Four records at once when they are four valid events in time order without a wrap (most of a file). */
    if (i + 4 <= n) {
      const v128_t a = wasm_v128_load(&words[2 * i]), b = wasm_v128_load(&words[2 * i + 4]);
      const v128_t raws = wasm_i32x4_shuffle(a, b, 0, 2, 4, 6);
      const v128_t packs = wasm_i32x4_shuffle(a, b, 1, 3, 5, 7);
      const v128_t xs = wasm_v128_and(packs, mask14);
      const v128_t ys = wasm_v128_and(wasm_u32x4_shr(packs, 14), mask14);
      /* Each lane's time against the lane before (lane 0 against itself, then against `last_raw`). */
      const v128_t before = wasm_i32x4_shuffle(raws, raws, 0, 0, 1, 2);
      const v128_t ok = wasm_v128_and(wasm_v128_and(wasm_u32x4_lt(xs, x_limit), wasm_u32x4_lt(ys, y_limit)),
                                      wasm_u32x4_ge(raws, before));
      if (wasm_i32x4_all_true(ok) && wasm_u32x4_extract_lane(raws, 0) >= last_raw) {
        const v128_t base = wasm_f64x2_splat((double)high);
        wasm_v128_store(&out_t[k], wasm_f64x2_add(base, wasm_f64x2_convert_low_u32x4(raws)));
        wasm_v128_store(&out_t[k + 2], wasm_f64x2_add(base, wasm_f64x2_convert_low_u32x4(wasm_i32x4_shuffle(raws, raws, 2, 3, 2, 3))));
        wasm_v128_store64_lane(&out_x[k], wasm_u16x8_narrow_i32x4(xs, xs), 0);
        wasm_v128_store64_lane(&out_y[k], wasm_u16x8_narrow_i32x4(ys, ys), 0);
        const v128_t p16 = wasm_u16x8_narrow_i32x4(wasm_v128_and(wasm_u32x4_shr(packs, 28), one), xs);
        wasm_v128_store32_lane(&out_p[k], wasm_u8x16_narrow_i16x8(p16, p16), 0);
        last_raw = wasm_u32x4_extract_lane(raws, 3);
        k += 4;
        i += 3;
        continue;
      }
    }
    const uint32_t raw = words[2 * i], packed = words[2 * i + 1];
    const uint32_t x = packed & 0x3fff, y = (packed >> 14) & 0x3fff;
    if (x >= width || y >= height) { stopped = NEEDS_JS; break; }
    if (raw < last_raw) {
      /* A fall of more than half the range is a wrap; anything smaller is time going back. */
      if (last_raw - raw < (uint32_t)1 << 31) { stopped = NEEDS_JS; break; }
      high += TWO_32;
    }
    last_raw = raw;
    out_t[k] = (double)(high + raw);
    out_x[k] = (uint16_t)x;
    out_y[k] = (uint16_t)y;
    out_p[k] = (uint8_t)((packed >> 28) & 1);
    k++;
  }
  state.base = (double)high;
  state.time = (double)last_raw;
  state.last = (double)(high + last_raw);
  state.events = k;
  state.stopped = stopped;
  return i;
}
