#!/usr/bin/env bash
# Rebuilds src/operators/kernels/filters.wasm from native/filters/filters.c with Debian's clang + lld
# (apt-get install clang lld). The built module is committed, so `npm install` needs no compiler;
# test/operators/wasmFilters.test.ts checks that a fresh build matches it byte for byte when clang is present.
# -msimd128: the background-activity test reads three rows of 4 cells at once; -mnontrapping-fptoint: the
# relative-time conversion saturates instead of trapping on times the map cannot hold.
# Usage: bash native/filters/build.sh [OUT]
set -euo pipefail
cd "$(dirname "$0")"
out="${1:-../../src/operators/kernels/filters.wasm}"
clang --target=wasm32-unknown-unknown -O3 -nostdlib -ffreestanding -mbulk-memory -mnontrapping-fptoint -msimd128 \
  -Wall -Wextra -Werror \
  -Wl,--no-entry -Wl,--strip-all -Wl,--export=__heap_base \
  -Wl,--initial-memory=1245184 -Wl,--max-memory=4294967296 \
  -o "$out" filters.c
