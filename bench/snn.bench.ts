/**
 * The issue's "big" workload: 10,000 Poisson inputs at 20 Hz (seeded, pre-generated on the 0.1 ms grid like
 * Brian2's run), 2,000 LIF neurons, 100 distinct random targets per input (w ~ U(0, 0.2)), 1 ms delay, 10 s.
 * Runs in a child process so that peak RSS is the engine's own. Input generation and network building are
 * excluded from the timed part.
 *
 *   npm run bench -- snn              # via the runner
 *   npx tsx bench/snn.bench.ts        # prints the figures directly
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { buildNetwork } from '../src/snn/network.ts';
import { poissonSpikes } from '../src/snn/poissonInput.ts';

const BRIAN_CPP_STANDALONE_EVENTS_PER_S = [220e6, 256e6];
const BRIAN_CYTHON_EVENTS_PER_S = 96e6;
const SIM_SECONDS = 10;
const self = fileURLToPath(import.meta.url);

function bigWorkload(queue: string): Record<string, unknown> {
  const started = performance.now();
  const input = poissonSpikes({ neurons: 10_000, rateHz: 20, durationUs: SIM_SECONDS * 1e6 - 1000, gridUs: 100, seed: 1234 });
  const network = buildNetwork({
    queue,
    populations: [
      { name: 'in', size: 10_000, model: 'source' },
      { name: 'out', size: 2_000, model: 'lif', tauMs: 20, threshold: 20, vRest: 0, vReset: 0, refractoryMs: 2 },
    ],
    projections: [
      { from: 'in', to: 'out', connect: 'fixed-fanout', fanout: 100, seed: 1234, weightRange: [0, 0.2], delayMs: 1 },
    ],
  });
  const setupSeconds = (performance.now() - started) / 1000;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const output = network.run(input, SIM_SECONDS * 1e6);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  // CPU seconds too: on a shared machine the wall clock also counts time spent waiting for a core.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const eventsPerSecond = network.stats.synapticEvents / seconds;
  return {
    queue: network.queueKind,
    inputSpikes: input.length,
    synapticEvents: network.stats.synapticEvents,
    outputSpikes: output.spikes.out.length,
    simSeconds: SIM_SECONDS,
    wallSeconds: Number(seconds.toFixed(3)),
    setupSeconds: Number(setupSeconds.toFixed(3)),
    synapticEventsPerSecond: Math.round(eventsPerSecond),
    cpuSeconds: Number(cpuSeconds.toFixed(3)),
    synapticEventsPerCpuSecond: Math.round(network.stats.synapticEvents / cpuSeconds),
    realTimeFactor: Number((SIM_SECONDS / seconds).toFixed(2)),
    ratioVsBrianCppStandalone: BRIAN_CPP_STANDALONE_EVENTS_PER_S.map((r) => Number((eventsPerSecond / r).toFixed(2))),
    ratioVsBrianCython: Number((eventsPerSecond / BRIAN_CYTHON_EVENTS_PER_S).toFixed(2)),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    loadAverage1m: Number(loadavg()[0].toFixed(2)),
  };
}

function runChild(queue: string): Record<string, unknown> {
  const child = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', queue], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`snn bench child failed (${child.status}): ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!);
}

export default async function bench(): Promise<Record<string, unknown>> {
  // The default (auto: FIFO for this single-delay network), then the other queues on the same workload.
  const fifo = runChild('auto');
  const heap = runChild('heap');
  const bucket = runChild('bucket');
  const sameOutput = [heap, bucket].every((r) => r.outputSpikes === fifo.outputSpikes && r.synapticEvents === fifo.synapticEvents);
  return {
    workload: '10k Poisson inputs @20 Hz (0.1 ms grid, seed 1234) -> 2000 LIF, 100 targets/input, w~U(0,0.2), 1 ms, 10 s',
    baselineBrianCppStandaloneEventsPerSecond: BRIAN_CPP_STANDALONE_EVENTS_PER_S,
    big: fifo,
    bigWithHeapQueue: heap,
    bigWithBucketQueue: bucket,
    queuesAgree: sameOutput,
  };
}

if (process.argv[1] === self) {
  const at = process.argv.indexOf('--child');
  if (at >= 0) console.log(JSON.stringify(bigWorkload(process.argv[at + 1] ?? 'auto')));
  else console.log(JSON.stringify(await bench(), null, 2));
}
