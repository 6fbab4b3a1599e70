#!/usr/bin/env bash
# Rebuilds src/formats/prophesee/kernels.wasm from native/prophesee/prophesee.c with Debian's clang + lld
# (apt-get install clang lld). The built module is committed, so `npm install` needs no compiler; the tests
# check that a fresh build matches it byte for byte when clang is present. Usage: bash native/prophesee/build.sh [OUT]
set -euo pipefail
cd "$(dirname "$0")"
out="${1:-../../src/formats/prophesee/kernels.wasm}"
clang --target=wasm32-unknown-unknown -O3 -nostdlib -ffreestanding -mbulk-memory -msimd128 \
  -Wall -Wextra -Werror \
  -Wl,--no-entry -Wl,--strip-all \
  -Wl,--export=pf_layout -Wl,--export=pf_evt2 -Wl,--export=pf_evt3 -Wl,--export=pf_dat \
  -o "$out" prophesee.c
