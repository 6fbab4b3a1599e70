/**
 * The issue's "big" workload: 10,000 Poisson inputs at 20 Hz (seeded, pre-generated on the 0.1 ms grid like
 * Brian2's run), 2,000 LIF neurons, 100 distinct random targets per input (w ~ U(0, 0.2)), 1 ms delay, 10 s;
 * on the WebAssembly engine (the default for this network) and on the JS scheduler with each queue.
 *
 * And the pipeline pattern: what `spikeflow run pipelines/detect.json` asks of the engine. The bundled EVT2
 * sparklers recording is decoded, cut into the batches a 64 KiB read gives, refractory-filtered and encoded
 * like the pipeline does (4×4 cells, ON/OFF folded onto one channel), and the DOTIE layer's `network.run` is
 * called once per batch. The first pass is what a real run sees (cold code); later passes over the same data
 * (shifted in time) show the warmed-up rate.
 *
 * Every figure comes from a child process (peak RSS is the engine's own). Rates are given per CPU second (the
 * machine is shared: CPU time is what the engine used) and per wall second. Input generation, decoding and
 * network building are excluded from the timed part.
 *
 *   npm run bench -- snn              # via the runner
 *   npx tsx bench/snn.bench.ts        # prints the figures directly
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { from, lastValueFrom, toArray } from 'rxjs';
import { encode } from '../src/encoding/encode.ts';
import { cellGrid } from '../src/encoding/encoderOptions.ts';
import { sliceBatch } from '../src/events/eventBatch.ts';
import type { SpikeBatch } from '../src/events/spikeBatch.ts';
import { refractory } from '../src/operators/refractory.ts';
import { DEFAULT_DETECTION_LAYER, detectionNetworkSpec } from '../src/readout/detectionNetwork.ts';
import { buildNetwork, type Network } from '../src/snn/network.ts';
import { poissonSpikes } from '../src/snn/poissonInput.ts';
import { readAllEvents } from '../src/sources/readAllEvents.ts';

const BRIAN_CPP_STANDALONE_EVENTS_PER_S = [220e6, 256e6];
const BRIAN_CYTHON_EVENTS_PER_S = 96e6;
const SIM_SECONDS = 10;
const RECORDING = fileURLToPath(new URL('../recordings/evt2/expelliarmus_evt2_sparklers.raw', import.meta.url));
/** Events per source batch: readSource reads 64 KiB chunks, 4 bytes per EVT2 event. */
const EVENTS_PER_BATCH = 16_384;
const WARM_PASSES = 5;
const self = fileURLToPath(import.meta.url);

interface Timed {
  cpuSeconds: number;
  wallSeconds: number;
}

function timed(work: () => void): Timed {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  work();
  const wallSeconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { cpuSeconds: (cpu.user + cpu.system) / 1e6, wallSeconds };
}

function rates(events: number, time: Timed): Record<string, number> {
  return {
    cpuSeconds: Number(time.cpuSeconds.toFixed(3)),
    wallSeconds: Number(time.wallSeconds.toFixed(3)),
    synapticEventsPerCpuSecond: Math.round(events / time.cpuSeconds),
    synapticEventsPerSecond: Math.round(events / time.wallSeconds),
  };
}

function bigWorkload(queue: string, engine: string): Record<string, unknown> {
  const started = performance.now();
  const input = poissonSpikes({ neurons: 10_000, rateHz: 20, durationUs: SIM_SECONDS * 1e6 - 1000, gridUs: 100, seed: 1234 });
  const network = buildNetwork({
    queue,
    engine,
    populations: [
      { name: 'in', size: 10_000, model: 'source' },
      { name: 'out', size: 2_000, model: 'lif', tauMs: 20, threshold: 20, vRest: 0, vReset: 0, refractoryMs: 2 },
    ],
    projections: [
      { from: 'in', to: 'out', connect: 'fixed-fanout', fanout: 100, seed: 1234, weightRange: [0, 0.2], delayMs: 1 },
    ],
  });
  const setupSeconds = (performance.now() - started) / 1000;
  let outputSpikes = 0;
  const time = timed(() => {
    outputSpikes = network.run(input, SIM_SECONDS * 1e6).spikes.out.length;
  });
  const events = network.stats.synapticEvents;
  // Against Brian2's CPU-bound standalone run, the CPU-time rate is the fair figure on a shared machine.
  const perCpu = events / time.cpuSeconds;
  return {
    engine: network.engine,
    queue: network.queueKind,
    inputSpikes: input.length,
    synapticEvents: events,
    outputSpikes,
    simSeconds: SIM_SECONDS,
    setupSeconds: Number(setupSeconds.toFixed(3)),
    ...rates(events, time),
    realTimeFactor: Number((SIM_SECONDS / time.wallSeconds).toFixed(2)),
    realTimeFactorCpu: Number((SIM_SECONDS / time.cpuSeconds).toFixed(2)),
    ratioVsBrianCppStandaloneCpu: BRIAN_CPP_STANDALONE_EVENTS_PER_S.map((r) => Number((perCpu / r).toFixed(2))),
    ratioVsBrianCppStandaloneWall: BRIAN_CPP_STANDALONE_EVENTS_PER_S.map((r) => Number((events / time.wallSeconds / r).toFixed(2))),
    ratioVsBrianCythonCpu: Number((perCpu / BRIAN_CYTHON_EVENTS_PER_S).toFixed(2)),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    loadAverage1m: Number(loadavg()[0].toFixed(2)),
  };
}

/** The pipeline's input spikes for the DOTIE layer, batch by batch, and the network it feeds. */
async function pipelineInput(engine: string): Promise<{ batches: SpikeBatch[]; network: Network; setupSeconds: number }> {
  const { events } = await readAllEvents(RECORDING);
  const parts = [];
  for (let i = 0; i < events.length; i += EVENTS_PER_BATCH) parts.push(sliceBatch(events, i, Math.min(events.length, i + EVENTS_PER_BATCH)));
  const encoded = await lastValueFrom(
    from(parts).pipe(refractory({ periodUs: 1000 }), encode({ pool: 4, polarity: 'separate', population: 'input' }), toArray()),
  );
  const grid = cellGrid(events, { pool: 4, polarity: 'separate' });
  const plane = grid.width * grid.height;
  // As src/pipeline/networkStage.ts: one source channel, ON and OFF folded onto their cell.
  const batches = encoded.map((b) => ({ ...b, neuron: b.neuron.map((n) => n % plane) }));
  const started = performance.now();
  const network = buildNetwork({ ...detectionNetworkSpec({ ...grid, channels: 1 }, 'input', { ...DEFAULT_DETECTION_LAYER, delayUs: 1 }), engine });
  return { batches, network, setupSeconds: (performance.now() - started) / 1000 };
}

async function pipelinePattern(engine: string): Promise<Record<string, unknown>> {
  const { batches, network, setupSeconds } = await pipelineInput(engine);
  const first = batches[0].t[0];
  const last = batches[batches.length - 1].until;
  const gap = last - first + 100_000; // 100 ms of silence between passes
  const passes = Array.from({ length: 1 + WARM_PASSES }, (_, pass) =>
    batches.map((b) => ({ ...b, t: b.t.map((t) => t + pass * gap), until: b.until + pass * gap })),
  );
  const eventsBefore = () => network.stats.synapticEvents;
  let outputSpikes = 0;
  const runPass = (pass: SpikeBatch[]) => () => {
    for (const b of pass) outputSpikes += network.run(b, b.until).spikes.detect.length;
  };
  const e0 = eventsBefore();
  const cold = timed(runPass(passes[0]));
  const coldEvents = eventsBefore() - e0;
  const coldSpikes = outputSpikes;
  const e1 = eventsBefore();
  const warm = timed(() => {
    for (const pass of passes.slice(1)) runPass(pass)();
  });
  const warmEvents = eventsBefore() - e1;
  return {
    engine: network.engine,
    batches: batches.length,
    inputSpikesPerPass: batches.reduce((n, b) => n + b.length, 0),
    synapticEventsPerPass: coldEvents,
    outputSpikesPerPass: coldSpikes,
    setupSeconds: Number(setupSeconds.toFixed(3)),
    firstPass: rates(coldEvents, cold),
    warmPasses: { passes: WARM_PASSES, ...rates(warmEvents, warm) },
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

function runChild(...args: string[]): Record<string, unknown> {
  const child = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`snn bench child ${args.join(' ')} failed (${child.status}): ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!);
}

export default async function bench(): Promise<Record<string, unknown>> {
  const big = runChild('big', 'auto', 'auto');
  const js = runChild('big', 'fifo', 'js');
  const heap = runChild('big', 'heap', 'js');
  const bucket = runChild('big', 'bucket', 'js');
  const same = (a: Record<string, unknown>, b: Record<string, unknown>, keys: string[]) => keys.every((k) => a[k] === b[k]);
  const pipelineWasm = runChild('pipeline', 'auto');
  const pipelineJs = runChild('pipeline', 'js');
  return {
    workload: '10k Poisson inputs @20 Hz (0.1 ms grid, seed 1234) -> 2000 LIF, 100 targets/input, w~U(0,0.2), 1 ms, 10 s',
    baselineBrianCppStandaloneEventsPerSecond: BRIAN_CPP_STANDALONE_EVENTS_PER_S,
    big,
    bigJsFifo: js,
    bigJsHeap: heap,
    bigJsBucket: bucket,
    enginesAndQueuesAgree: [js, heap, bucket].every((r) => same(r, big, ['outputSpikes', 'synapticEvents'])),
    pipelinePattern: pipelineWasm,
    pipelinePatternJs: pipelineJs,
    pipelineEnginesAgree: same(pipelineWasm, pipelineJs, ['synapticEventsPerPass', 'outputSpikesPerPass']),
  };
}

if (process.argv[1] === self) {
  const at = process.argv.indexOf('--child');
  if (at >= 0) {
    const [kind, a, b] = process.argv.slice(at + 1);
    console.log(JSON.stringify(kind === 'pipeline' ? await pipelinePattern(a ?? 'auto') : bigWorkload(a ?? 'auto', b ?? 'auto')));
  } else {
    console.log(JSON.stringify(await bench(), null, 2));
  }
}
