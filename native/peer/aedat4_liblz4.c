/*
 * Reference peer for bench/formats-inivation.bench.ts: AEDAT 4.0 event decoding from memory in C with the
 * system liblz4 (LZ4F_decompress per EVTS packet, then DV event structs to t/x/y/p arrays), timed by process
 * CPU time, so that the spikeflow figure can be compared with a native decoder measured under the same load.
 * Minimal on purpose: it trusts the file (no bounds checks beyond liblz4's own) and takes the packet layout
 * the way DV writes it (stream 0 = events, table offsets as in native/lz4/dv_events.c).
 *
 *   cc -O2 -o /tmp/aedat4_liblz4 native/peer/aedat4_liblz4.c -llz4 && /tmp/aedat4_liblz4 FILE [SECONDS] [blocks]
 * `blocks` decodes each frame's blocks with LZ4_decompress_safe_usingDict instead of the LZ4F frame API.
 * Prints one JSON line: events per pass and the median and best Mev per CPU-second over the passes.
 */
#include <lz4.h>
#include <lz4frame.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double cpu_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static uint32_t u32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }

static int compare(const void *a, const void *b) {
  const double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  if (argc < 2) return fprintf(stderr, "usage: %s FILE.aedat4 [SECONDS]\n", argv[0]), 2;
  const double seconds = argc > 2 ? atof(argv[2]) : 2;
  const int raw_blocks = argc > 3 && strcmp(argv[3], "blocks") == 0;
  FILE *f = fopen(argv[1], "rb");
  if (!f) return perror(argv[1]), 1;
  fseek(f, 0, SEEK_END);
  const long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *file = malloc(size);
  if (fread(file, 1, size, f) != (size_t)size) return perror("read"), 1;
  fclose(f);
  const size_t out_cap = 64 << 20, max_events = 64 << 20;
  uint8_t *out = malloc(out_cap);
  double *t = malloc(max_events * 8);
  uint16_t *x = malloc(max_events * 2), *y = malloc(max_events * 2);
  uint8_t *p = malloc(max_events);
  LZ4F_dctx *dctx;
  LZ4F_createDecompressionContext(&dctx, LZ4F_VERSION);
  const size_t first = 18 + u32(file + 14);
  double *times = malloc(sizeof(double) * 1000000);
  size_t passes = 0, events = 0;
  const double start = cpu_seconds();
  while (cpu_seconds() - start < seconds && passes < 1000000) {
    const double t0 = cpu_seconds();
    size_t n = 0;
    for (size_t at = first; at + 8 <= (size_t)size;) {
      const uint32_t stream = u32(file + at), length = u32(file + at + 4);
      if (stream == 0x184d2204u) break; /* the data table */
      if (stream == 0) {
        if (raw_blocks) {
          /* LZ4_decompress_safe on each block of the frame (header: magic, FLG, BD, HC; no content size). */
          const uint8_t *s = file + at + 8 + 7;
          uint8_t *d = out;
          for (uint32_t block; (block = u32(s)) != 0; s += 4 + (block & 0x7fffffff)) {
            const int r = LZ4_decompress_safe_usingDict((const char *)s + 4, (char *)d, (int)(block & 0x7fffffff),
                                                        (int)(out_cap - (d - out)), (const char *)out, (int)(d - out));
            if (r < 0) return fprintf(stderr, "lz4 block error\n"), 1;
            d += r;
          }
        } else {
          size_t src_size = length, dst_size = out_cap;
          LZ4F_resetDecompressionContext(dctx);
          const size_t r = LZ4F_decompress(dctx, out, &dst_size, file + at + 8, &src_size, NULL);
          if (LZ4F_isError(r)) return fprintf(stderr, "lz4: %s\n", LZ4F_getErrorName(r)), 1;
        }
        /* flatbuffer: root offset, then the table; its vtable's first field is the elements vector. */
        const uint8_t *fb = out + 4;
        const uint8_t *table = fb + u32(fb);
        const uint8_t *vtable = table - (int32_t)u32(table);
        uint16_t field;
        memcpy(&field, vtable + 4, 2);
        const uint8_t *vec = table + field + u32(table + field);
        const uint32_t count = u32(vec);
        const uint8_t *e = vec + 4;
        for (uint32_t i = 0; i < count; i++, e += 16) {
          int64_t ts;
          memcpy(&ts, e, 8);
          t[n] = (double)ts;
          memcpy(&x[n], e + 8, 2);
          memcpy(&y[n], e + 10, 2);
          p[n] = e[12] != 0;
          n++;
        }
      }
      at += 8 + length;
    }
    times[passes++] = cpu_seconds() - t0;
    events = n;
  }
  qsort(times, passes, sizeof(double), compare);
  printf("{\"events\": %zu, \"passes\": %zu, \"mevPerCpuSecondMedian\": %.1f, \"mevPerCpuSecondBest\": %.1f, \"check\": %.0f}\n",
         events, passes, events / times[passes / 2] / 1e6, events / times[0] / 1e6, t[events - 1] + x[events / 2] + p[7]);
  return 0;
}
