#!/usr/bin/env bash
# Rebuilds src/codecs/kernels.wasm from native/lz4/*.c with Debian's clang + lld (apt-get install clang lld).
# The built module is committed, so `npm install` needs no compiler; test/codecs/wasmBuild.test.ts checks that
# a fresh build matches it byte for byte when clang is present. Usage: bash native/lz4/build.sh [OUT]
set -euo pipefail
out="$(realpath -m "${1:-$(dirname "$0")/../../src/codecs/kernels.wasm}")"
cd "$(dirname "$0")"
clang --target=wasm32-unknown-unknown -O3 -nostdlib -ffreestanding \
  -msimd128 -mbulk-memory \
  -Wall -Wextra -Werror \
  -Wl,--no-entry -Wl,--export=__heap_base \
  -Wl,--initial-memory=1048576 -Wl,--max-memory=4294967296 -Wl,--strip-all \
  -o "$out" lz4_block.c dv_events.c
