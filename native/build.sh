#!/usr/bin/env bash
# Rebuilds every committed WebAssembly module from its C sources: runs native/*/build.sh (each writes its
# module into src/ and has a test that compares a fresh build with the committed one). Needs clang + lld.
set -euo pipefail
cd "$(dirname "$0")"
for script in */build.sh; do
  echo "native: $script" >&2
  bash "$script"
done
