#!/usr/bin/env bash
# Rebuilds src/snn/wasm/engine.wasm from native/snn/engine.c with Debian's clang + lld
# (apt-get install clang lld). The built module is committed, so `npm install` needs no compiler;
# test/snn/wasmEngine.test.ts checks that a fresh build matches it byte for byte when clang is present.
# No -ffast-math and no FMA (wasm32 has none): every double operation is the JS path's, in the same order.
# -msimd128: collect scans the marks 16 bytes at a time (SIMD in Node since 16.4); doubles are only compared in SIMD lanes, never computed.
# Usage: bash native/snn/build.sh [OUT]
set -euo pipefail
cd "$(dirname "$0")"
out="${1:-../../src/snn/wasm/engine.wasm}"
clang --target=wasm32-unknown-unknown -O3 -nostdlib -ffreestanding -mbulk-memory -mnontrapping-fptoint -msimd128 \
  -Wall -Wextra -Werror \
  -Wl,--no-entry -Wl,--strip-all -Wl,--export=__heap_base \
  -Wl,--initial-memory=131072 -Wl,--max-memory=4294967296 \
  -Wl,--export=engine_globals -Wl,--export=engine_run \
  -Wl,--export=engine_max_populations -Wl,--export=engine_max_tables \
  -o "$out" engine.c
