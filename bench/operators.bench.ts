/**
 * Throughput of every filter kernel in million events per second, on a large real-ish stream: the sparklers
 * EVT2 recording (521 252 events, 640 × 480, 96 ms of sparkler trails) tiled end to end in time until it holds
 * about 10 M events, cut into 65 536-event batches as a decoder delivers them. Each kernel gets fresh state
 * (a WebAssembly instance is released at the end of a pass, as the operators do at teardown, so the next pass
 * reuses its paged-in memory with the map cleared) and runs over the whole stream, repeated for at least 5
 * passes and 1 s; the best pass counts. Rates are
 * given by process CPU time (more robust than wall time when other processes share the cores, though cache
 * contention still lowers it) and by wall time. The RxJS operator path is measured too for the dv-processing
 * peers (135–280 M ev/s published for its background-activity and refractory filters, native C++ on a desktop
 * CPU). The sparklers trails are dense, so background activity
 * keeps 98.6 % of them; `backgroundActivityNoisy` runs it on the same stream with every fifth event moved to a
 * random pixel (seeded), where it drops about a fifth: a denoising workload with unpredictable branches.
 * Background activity and refractory run their relative-time loops in WebAssembly (src/operators/kernels/
 * wasmFilters.ts) unless SPIKEFLOW_NO_WASM=1; `kernelMevPerSecondJs` gives the same kernels on the JavaScript
 * loops, so the report shows what the WebAssembly path buys. `recordingStage` is the filters stage of
 * pipelines/detect.json (refractory, 1000 µs) over the sparklers recording as the pipeline reads it (its own
 * batches, a new subscription per run): there per-run costs (state, WebAssembly memory paged in) show,
 * which the 10 M-event passes hide.
 *
 *   npx tsx bench/run.ts operators
 */
import { from, lastValueFrom, Observable, toArray, type OperatorFunction } from 'rxjs';
import { makeBatch, type EventBatch } from '../src/events/eventBatch.ts';
import { backgroundActivity } from '../src/operators/backgroundActivity.ts';
import { backgroundActivityKernel, createBackgroundActivityState } from '../src/operators/kernels/backgroundActivity.ts';
import { countWindowKernel, createCountWindowState } from '../src/operators/kernels/countWindow.ts';
import { cropKernel } from '../src/operators/kernels/crop.ts';
import { createDownsampleState, downsampleKernel } from '../src/operators/kernels/downsample.ts';
import { flipKernel } from '../src/operators/kernels/flip.ts';
import { createHotPixelState, hotPixelKernel } from '../src/operators/kernels/hotPixel.ts';
import { invertPolarityKernel } from '../src/operators/kernels/invertPolarity.ts';
import { maskKernel } from '../src/operators/kernels/mask.ts';
import { mergePolarityKernel } from '../src/operators/kernels/mergePolarity.ts';
import { createRefractoryState, refractoryKernel } from '../src/operators/kernels/refractory.ts';
import { rotateKernel } from '../src/operators/kernels/rotate.ts';
import { selectPolarityKernel } from '../src/operators/kernels/selectPolarity.ts';
import { createTimeWindowState, timeWindowKernel } from '../src/operators/kernels/timeWindow.ts';
import { transposeKernel } from '../src/operators/kernels/transpose.ts';
import { useWasmFilters, wasmFiltersEnabled } from '../src/operators/kernels/wasmFilters.ts';
import { refractory } from '../src/operators/refractory.ts';
import { readSource } from '../src/pipeline/readSource.ts';
import { readAllEvents } from '../src/sources/readAllEvents.ts';
import { bundled, sharedFile } from '../test/helpers/shared.ts';
import { existsSync } from 'node:fs';

const TARGET_EVENTS = 10_000_000;
const BATCH = 65_536;
const MIN_SECONDS = 1;
const MIN_PASSES = 5;
const DV_PROCESSING_MEVS = { low: 135, high: 280 };
/** The kernels whose relative-time loops have a WebAssembly and a JavaScript version. */
const WITH_WASM_LOOPS = [
  'backgroundActivity',
  'backgroundActivityNoisy',
  'backgroundActivityIncludeSelf',
  'refractory',
  'refractoryPerPolarity',
];

type Pass = (batches: readonly EventBatch[]) => void;

export default async function bench(): Promise<Record<string, unknown>> {
  const { recording, source } = await loadRecording();
  const batches = tile(recording, TARGET_EVENTS, BATCH);
  const events = batches.reduce((n, b) => n + b.length, 0);
  const noisy = withNoise(batches, 5);
  const geometry = { width: recording.width, height: recording.height };
  const half = { x: geometry.width >> 2, y: geometry.height >> 2, width: geometry.width >> 1, height: geometry.height >> 1 };

  const kernels: Record<string, Pass> = {
    backgroundActivity: (bs) => {
      const s = createBackgroundActivityState(geometry);
      for (const b of bs) backgroundActivityKernel(b, s, { windowUs: 2000, includeSelf: false });
      s.wasm?.release();
    },
    backgroundActivityNoisy: () => {
      const s = createBackgroundActivityState(geometry);
      for (const b of noisy) backgroundActivityKernel(b, s, { windowUs: 2000, includeSelf: false });
      s.wasm?.release();
    },
    backgroundActivityIncludeSelf: (bs) => {
      const s = createBackgroundActivityState(geometry);
      for (const b of bs) backgroundActivityKernel(b, s, { windowUs: 2000, includeSelf: true });
      s.wasm?.release();
    },
    refractory: (bs) => {
      const s = createRefractoryState(geometry, false);
      for (const b of bs) refractoryKernel(b, s, { periodUs: 1000, perPolarity: false });
      s.wasm?.release();
    },
    refractoryPerPolarity: (bs) => {
      const s = createRefractoryState(geometry, true);
      for (const b of bs) refractoryKernel(b, s, { periodUs: 1000, perPolarity: true });
      s.wasm?.release();
    },
    hotPixelLearned: (bs) => {
      const params = { pixels: [], learnUs: 10_000, factor: 5 };
      const s = createHotPixelState(geometry, params);
      for (const b of bs) hotPixelKernel(b, s, params);
    },
    crop: (bs) => {
      const s = { indices: new Uint32Array(0) };
      for (const b of bs) cropKernel(b, s, half);
    },
    mask: (bs) => {
      const s = { indices: new Uint32Array(0) };
      for (const b of bs) maskKernel(b, s, half, false);
    },
    selectPolarity: (bs) => {
      const s = { indices: new Uint32Array(0) };
      for (const b of bs) selectPolarityKernel(b, s, 1);
    },
    mergePolarity: (bs) => {
      for (const b of bs) mergePolarityKernel(b, 1);
    },
    invertPolarity: (bs) => {
      for (const b of bs) invertPolarityKernel(b);
    },
    flip: (bs) => {
      for (const b of bs) flipKernel(b, true, true);
    },
    rotate90: (bs) => {
      for (const b of bs) rotateKernel(b, 90);
    },
    transpose: (bs) => {
      for (const b of bs) transposeKernel(b);
    },
    downsample: (bs) => {
      const params = { factor: 4, threshold: 1 };
      const s = createDownsampleState(geometry, params);
      for (const b of bs) downsampleKernel(b, s, params);
    },
    downsampleThreshold: (bs) => {
      const params = { factor: 4, threshold: 3 };
      const s = createDownsampleState(geometry, params);
      for (const b of bs) downsampleKernel(b, s, params);
    },
    timeWindow: (bs) => {
      const s = createTimeWindowState(10_000);
      for (const b of bs) timeWindowKernel(b, s, () => true);
    },
    countWindow: (bs) => {
      const s = createCountWindowState(100_000);
      for (const b of bs) countWindowKernel(b, s);
    },
  };

  const rates: Record<string, Rate> = {};
  for (const [name, pass] of Object.entries(kernels)) rates[name] = measure(pass, batches, events);
  const kernelMevs = Object.fromEntries(Object.entries(rates).map(([k, r]) => [k, r.cpu]));
  const kernelMevsWall = Object.fromEntries(Object.entries(rates).map(([k, r]) => [k, r.wall]));
  const relativeLoops = wasmFiltersEnabled() ? 'WebAssembly' : 'JavaScript';
  const kernelMevsJs: Record<string, number> = {};
  useWasmFilters(false); // states created from here on use the JavaScript loops
  for (const name of WITH_WASM_LOOPS) kernelMevsJs[name] = measure(kernels[name]!, batches, events).cpu;
  useWasmFilters(undefined);

  const operatorMevs = {
    backgroundActivity: await measureOperator(backgroundActivity({ windowUs: 2000 }), batches, events),
    refractory: await measureOperator(refractory({ periodUs: 1000 }), batches, events),
    refractoryPerPolarity: await measureOperator(refractory({ periodUs: 1000, perPolarity: true }), batches, events),
  };

  const stage = await recordingStage();

  return {
    source,
    events,
    batches: batches.length,
    batchEvents: BATCH,
    geometry,
    timing: 'best pass; kernelMevPerSecond by process CPU time, kernelMevPerSecondWall by wall time',
    relativeLoops,
    kernelMevPerSecond: kernelMevs,
    kernelMevPerSecondWall: kernelMevsWall,
    kernelMevPerSecondJs: kernelMevsJs,
    operatorMevPerSecond: operatorMevs,
    recordingStage: stage,
    vsDvProcessing: {
      publishedMevPerSecond: DV_PROCESSING_MEVS,
      ...Object.fromEntries(
        WITH_WASM_LOOPS.flatMap((name) => [
          [`${name}RatioToLow`, round2(kernelMevs[name]! / DV_PROCESSING_MEVS.low)],
          [`${name}RatioToHigh`, round2(kernelMevs[name]! / DV_PROCESSING_MEVS.high)],
        ]),
      ),
    },
    peakRssMB: round(process.resourceUsage().maxRSS / 1024),
  };
}

interface Rate {
  cpu: number;
  wall: number;
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function measure(pass: Pass, batches: readonly EventBatch[], events: number): Rate {
  pass(batches.slice(0, 8)); // warm up the JIT on a few batches
  return timed(events, () => pass(batches));
}

/** Best rate in M events/s over passes of `run`: at least MIN_PASSES, and until MIN_SECONDS of wall time. */
function timed(events: number, run: () => void): Rate {
  let bestCpu = Infinity;
  let bestWall = Infinity;
  let total = 0;
  for (let passes = 0; passes < MIN_PASSES || total < MIN_SECONDS; passes++) {
    const cpu = cpuMs();
    const wall = performance.now();
    run();
    const wallMs = performance.now() - wall;
    bestCpu = Math.min(bestCpu, cpuMs() - cpu);
    bestWall = Math.min(bestWall, wallMs);
    total += wallMs / 1000;
  }
  return { cpu: round(events / bestCpu / 1000), wall: round(events / bestWall / 1000) };
}

async function measureOperator(
  operator: OperatorFunction<EventBatch, EventBatch>,
  batches: readonly EventBatch[],
  events: number,
): Promise<Rate> {
  // The source is synchronous, so the whole stream runs inside subscribe: timed like a kernel pass.
  const source = new Observable<EventBatch>((subscriber) => {
    for (const b of batches) subscriber.next(b);
    subscriber.complete();
  });
  await lastValueFrom(source.pipe(operator), { defaultValue: undefined });
  return timed(events, () => source.pipe(operator).subscribe());
}

/**
 * detect.json's filters stage over the sparklers recording's own batches (as readSource delivers them), one
 * subscription per run, outputs kept as the pipeline's next stage would hold them: best and median CPU ms of
 * 15 runs after a warm-up. Undefined when the recording is not at hand.
 */
async function recordingStage(): Promise<Record<string, unknown> | undefined> {
  const relative = 'evt2/expelliarmus_evt2_sparklers.raw';
  const path = [bundled(relative), sharedFile(`recordings/${relative}`)].find((p) => existsSync(p));
  if (path === undefined) return undefined;
  const batches: EventBatch[] = [];
  const unavailable = (): never => {
    throw new Error('event files only');
  };
  for await (const step of readSource({ type: 'file', path, format: undefined, width: undefined, height: undefined }, unavailable)) {
    batches.push(step.batch);
  }
  const events = batches.reduce((n, b) => n + b.length, 0);
  const runOnce = () => lastValueFrom(from(batches).pipe(refractory({ periodUs: 1000 }), toArray()));
  await runOnce();
  const ms: number[] = [];
  for (let r = 0; r < 15; r++) {
    const before = cpuMs();
    await runOnce();
    ms.push(cpuMs() - before);
  }
  ms.sort((a, b) => a - b);
  const median = ms[ms.length >> 1]!;
  return {
    filter: 'refractory periodUs 1000 (pipelines/detect.json)',
    recording: relative,
    events,
    batches: batches.length,
    cpuMsBest: round(ms[0]!),
    cpuMsMedian: round(median),
    mevPerCpuSecondMedian: round(events / median / 1000),
  };
}

/** The sparklers recording when a copy is at hand and decodes; otherwise a synthetic stand-in. */
async function loadRecording(): Promise<{ recording: EventBatch; source: string }> {
  const relative = 'evt2/expelliarmus_evt2_sparklers.raw';
  const path = [bundled(relative), sharedFile(`recordings/${relative}`)].find((p) => existsSync(p));
  if (path) {
    try {
      const { events } = await readAllEvents(path, { width: 640, height: 480 });
      if (events.length > 0) return { recording: events, source: `${relative} (tiled)` };
    } catch {
      // Fall through to the synthetic stream: the decoder may not be there yet.
    }
  }
  return { recording: synthetic(), source: 'synthetic moving edges + 20 % noise, 640 × 480 (sparklers recording unavailable)' };
}

/** Copies of `recording` shifted in time end to end, cut into `size`-event batches. */
function tile(recording: EventBatch, target: number, size: number): EventBatch[] {
  const copies = Math.max(1, Math.ceil(target / recording.length));
  const span = recording.t[recording.length - 1] - recording.t[0] + 1;
  const n = copies * recording.length;
  const t = new Float64Array(n);
  const x = new Uint16Array(n);
  const y = new Uint16Array(n);
  const p = new Uint8Array(n);
  for (let c = 0; c < copies; c++) {
    const o = c * recording.length;
    for (let i = 0; i < recording.length; i++) t[o + i] = recording.t[i] + c * span;
    x.set(recording.x, o);
    y.set(recording.y, o);
    p.set(recording.p, o);
  }
  const out: EventBatch[] = [];
  for (let i = 0; i < n; i += size) {
    const end = Math.min(n, i + size);
    out.push(makeBatch(recording, t.subarray(i, end), x.subarray(i, end), y.subarray(i, end), p.subarray(i, end)));
  }
  return out;
}

/** The same batches with every `every`-th event moved to a random pixel (seeded): uniform background noise. */
function withNoise(batches: readonly EventBatch[], every: number): EventBatch[] {
  let seed = 777;
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  return batches.map((b) => {
    const x = b.x.slice();
    const y = b.y.slice();
    for (let i = 0; i < b.length; i += every) {
      x[i] = Math.floor(random() * b.width);
      y[i] = Math.floor(random() * b.height);
    }
    return makeBatch(b, b.t, x, y, b.p);
  });
}

/** 1 M events: a bright bar sweeping right (its two edges fire) plus uniform noise; seeded, so repeatable. */
function synthetic(): EventBatch {
  const n = 1_000_000;
  let seed = 12345;
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const t = new Float64Array(n);
  const x = new Uint16Array(n);
  const y = new Uint16Array(n);
  const p = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    t[i] = Math.floor(i / 5); // 5 M events/s
    if (random() < 0.2) {
      x[i] = Math.floor(random() * 640);
      y[i] = Math.floor(random() * 480);
      p[i] = random() < 0.5 ? 1 : 0;
    } else {
      const front = Math.floor(t[i] / 400) % 640;
      const lead = random() < 0.5;
      x[i] = lead ? front : (front + 600) % 640;
      y[i] = Math.floor(random() * 480);
      p[i] = lead ? 1 : 0;
    }
  }
  return makeBatch({ width: 640, height: 480 }, t, x, y, p);
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
