#!/usr/bin/env bash
# Side-by-side run of the issue's "big" SNN workload: spikeflow's engine, then Brian2 (C++ standalone and Cython)
# through the project's peer script in ../shared/peers/brian2 (referenced in place: it is not copied into the
# repo). Brian2 runs on the pre-generated seeded Poisson input ("--input gen"), the same workload shape as
# bench/snn.bench.ts: 10k inputs @ 20 Hz on the 0.1 ms grid -> 2000 LIF, 100 targets each, w ~ U(0, 0.2), 1 ms, 10 s.
#
#   npm run bench:peer                   # skips with a message when Brian2 is not installed
#   BRIAN_PEER=/path/to/peers/brian2 npm run bench:peer
#   BRIAN_TARGETS=cpp_standalone npm run bench:peer   # skip the Cython target (minutes of code generation)
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

echo "=== spikeflow (single thread, wasm engine, big workload)"
OURS=$(cd "$REPO" && npx tsx bench/snn.bench.ts --child big auto auto)
echo "$OURS"
SUMMARY=$(node -e 'const r = JSON.parse(process.argv[1]); console.log(`spikeflow ${r.engine}: ${(r.synapticEventsPerSecond / 1e6).toFixed(1)} M synaptic events/s wall, ${(r.synapticEventsPerCpuSecond / 1e6).toFixed(1)} M per CPU-s (${r.synapticEvents} events, ${r.outputSpikes} output spikes, load ${r.loadAverage1m})`)' "$OURS")

for target in ${BRIAN_TARGETS:-cpp_standalone cython}; do
  echo "=== Brian2 $("$PY" -c 'import brian2; print(brian2.__version__)') $target (pre-generated input)"
  log="$BRIAN_OUT/peer_$target.log"
  if (cd "$BRIAN_OUT" && "${TIME[@]}" \
    "$PY" "$PEER/brian_bench.py" --target "$target" --case big --input gen --tag "_gen_$target" 2>&1 | grep -Ev "$NOISE" | tee "$log"); then
    rate=$(sed -n 's/.*synaptic events \/ wall-second (sim only) \([0-9,]*\).*/\1/p' "$log" | tr -d ,)
    events=$(sed -n 's/.*synaptic events \([0-9]*\) .*/\1/p' "$log")
    # The standalone binary times its run with std::clock (CPU time); the runtime targets with a wall clock.
    clock=wall; [ "$target" = cpp_standalone ] && clock="CPU-s (std::clock)"
    [ -n "$rate" ] && SUMMARY="$SUMMARY
Brian2 $target: $(awk -v r="$rate" 'BEGIN { printf "%.1f", r / 1e6 }') M synaptic events per $clock, simulation only ($events events; its own seeded input)"
  else
    echo "Brian2 $target failed (see above)"
  fi
done

echo "=== side by side (the same machine, one after the other; load average now $(cut -d' ' -f1 /proc/loadavg))"
echo "$SUMMARY"
