#!/usr/bin/env bash
# Rebuilds src/video/scanBands.wasm from scanBands.c with Debian's clang + lld (apt-get install clang lld).
# The built module is committed, so `npm install` needs no compiler; test/video/wasmScan.test.ts checks that a
# fresh build matches it byte for byte when clang is present. Usage: bash native/video/build.sh [OUT]
set -euo pipefail
cd "$(dirname "$0")"
out="${1:-../../src/video/scanBands.wasm}"
clang --target=wasm32-unknown-unknown -O3 -nostdlib -ffreestanding -msimd128 \
  -Wall -Wextra -Werror \
  -Wl,--no-entry -Wl,--export=__heap_base \
  -Wl,--initial-memory=131072 -Wl,--max-memory=4294967296 -Wl,--strip-all \
  -o "$out" scanBands.c
