#!/usr/bin/env bash
# Side-by-side run of the issue's "big" SNN workload: spikeflow's engine, then Brian2 (C++ standalone and Cython)
# through the project's peer script in ../shared/peers/brian2 (referenced in place: it is not copied into the
# repo). Brian2 runs on the pre-generated seeded Poisson input ("--input gen"), the same workload shape as
# bench/snn.bench.ts: 10k inputs @ 20 Hz on the 0.1 ms grid -> 2000 LIF, 100 targets each, w ~ U(0, 0.2), 1 ms, 10 s.
#
#   npm run bench:peer                   # skips with a message when Brian2 is not installed
#   BRIAN_PEER=/path/to/peers/brian2 npm run bench:peer
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
PEER=${BRIAN_PEER:-$REPO/../shared/peers/brian2}
PY=/usr/bin/python3

if [ ! -x "$PY" ] || ! "$PY" -c 'import brian2' >/dev/null 2>&1; then
  echo "bench:peer: SKIPPED: Brian2 is not importable by $PY (Debian: apt-get install -y python3-brian python3-numpy cython3)"
  exit 0
fi
if [ ! -f "$PEER/brian_bench.py" ]; then
  echo "bench:peer: SKIPPED: Brian2 peer script not found at $PEER/brian_bench.py (set BRIAN_PEER)"
  exit 0
fi

export BRIAN_OUT=${BRIAN_OUT:-$REPO/out/brian-peer}
mkdir -p "$BRIAN_OUT"
NOISE='warn|^ *if not hasattr|obj = getattr'
TIME=()
[ -x /usr/bin/time ] && TIME=(/usr/bin/time -f "process wall %e s, maxrss %M KB")

echo "=== spikeflow (single thread)"
(cd "$REPO" && npx tsx bench/snn.bench.ts)

for target in cpp_standalone cython; do
  echo "=== Brian2 $("$PY" -c 'import brian2; print(brian2.__version__)') $target (pre-generated input)"
  (cd "$BRIAN_OUT" && "${TIME[@]}" \
    "$PY" "$PEER/brian_bench.py" --target "$target" --case big --input gen --tag "_gen_$target" 2>&1 | grep -Ev "$NOISE") || \
    echo "Brian2 $target failed (see above)"
done
