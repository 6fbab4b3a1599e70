/**
 * Prophesee decode throughput (million events per second):
 * - per format, on every real file (../shared when present, else the bundled copies); the headline is the
 *   largest file of each format. EVT 2.1 has no real file: the EVT 3.0 sample re-encoded stands in;
 * - from memory: the file's bytes fed in 1 MiB chunks to a fresh decoder, repeated for ≥ BENCH_SECONDS (2) after
 *   0.3 s of warm-up, on the WebAssembly word loops (the default) and on the JS loops (SPIKEFLOW_NO_WASM=1), in
 *   the same run;
 * - from disk: the file source (openEventFile, 1 MiB reads), repeated for ≥ 1 s (page cache: a read path cost);
 * - floor: the same bytes summed in JS in the same run, as events/s of that file (decoding cannot beat reading);
 * - ratios against the native peers measured on this machine (EVT2 627, EVT3 190, DAT 817 Mev/s) and the
 *   targets (half of each);
 * Peak RSS while stream-decoding a generated 2 GB EVT 3.0 file is in bench/memory.bench.ts.
 * Rates are given by wall time and by process CPU time (robust when other processes share the cores), with the
 * minor page faults per run: a decode that faults its output memory in again runs at a fraction of the speed
 * (src/formats/mallocThresholds.ts), so a slow figure with many faults is that, not the decoder.
 *
 *   npx tsx bench/run.ts formats-prophesee
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { formatByName } from '../src/formats/registry.ts';
import { useWasmKernels } from '../src/formats/prophesee/wasmKernels.ts';
import type { EventDecoder } from '../src/formats/types.ts';
import { openEventFile } from '../src/sources/openEventFile.ts';
import { readAllEvents } from '../src/sources/readAllEvents.ts';
import { bundled, hasShared, sharedFile } from '../test/helpers/shared.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const CHUNK = 1 << 20;
const PEERS: Record<string, number> = { evt2: 627, evt3: 190, dat: 817 };

interface Rate {
  wall: number;
  cpu: number;
  runs: number;
  /** Minor page faults per run: memory the allocator handed back to the system and faulted in again. */
  faultsPerRun: number;
}

function measure(seconds: number, run: () => number): Rate {
  let runs = 0;
  let count = 0;
  const clock = startClock();
  do {
    count += run();
    runs++;
  } while (performance.now() - clock.start < seconds * 1000);
  return rateSince(clock, runs, count);
}

async function measureAsync(seconds: number, run: () => Promise<number>): Promise<Rate> {
  let runs = 0;
  let count = 0;
  const clock = startClock();
  do {
    count += await run();
    runs++;
  } while (performance.now() - clock.start < seconds * 1000);
  return rateSince(clock, runs, count);
}

/** Wall time, process CPU time and minor page faults at the start of a measurement. */
function startClock() {
  return { faults: process.resourceUsage().minorPageFault, cpu: process.cpuUsage(), start: performance.now() };
}

/** Rates of `count` events over `runs` runs since the clock started. */
function rateSince(clock: ReturnType<typeof startClock>, runs: number, count: number): Rate {
  const wall = (performance.now() - clock.start) / 1000;
  const used = process.cpuUsage(clock.cpu);
  const faultsPerRun = (process.resourceUsage().minorPageFault - clock.faults) / runs;
  return { wall: count / wall, cpu: count / ((used.user + used.system) / 1e6), runs, faultsPerRun };
}

function decodeAll(make: () => EventDecoder, bytes: Uint8Array): number {
  const decoder = make();
  let n = 0;
  for (let o = 0; o < bytes.length; o += CHUNK) n += decoder.push(bytes.subarray(o, o + CHUNK)).length;
  return n + decoder.end().length;
}

/** The floor: touching every byte once in JS. */
function sumBytes(bytes: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < bytes.length; i++) s = (s + bytes[i]!) | 0;
  return s;
}

const round = (v: number) => Math.round(v * 10) / 10;
const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
const mev = (r: Rate) => ({
  mevPerSecond: round(r.wall / 1e6),
  mevPerCpuSecond: round(r.cpu / 1e6),
  runs: r.runs,
  minorFaultsPerRun: round(r.faultsPerRun),
});

function realFiles(): Record<string, string[]> {
  const list = (dir: string, bundledNames: string[]) =>
    hasShared
      ? readdirSync(sharedFile(`recordings/${dir}`)).map((f) => sharedFile(`recordings/${dir}/${f}`))
      : bundledNames.map((f) => bundled(`${dir}/${f}`)).filter((f) => existsSync(f));
  return {
    evt2: list('evt2', ['expelliarmus_evt2_sparklers.raw']),
    evt3: list('evt3', ['expelliarmus_evt3_pedestrians_5000ev.raw']),
    dat: list('dat', ['expelliarmus_NCARS_obj_004397_td.dat']),
  };
}

async function benchFile(format: string, path: string, bytes: Uint8Array = readFileSync(path)) {
  const module = formatByName(format);
  const make = () => module.createDecoder!({ file: path });
  const events = decodeAll(make, bytes);
  // Warm-up, as in formats-inivation: the JIT optimises and the heap grows to its working size (the first file
  // of a run otherwise pays ~100 page faults per decode for a while) before timing.
  measure(Math.min(0.3, SECONDS), () => decodeAll(make, bytes));
  const memory = measure(SECONDS, () => decodeAll(make, bytes));
  useWasmKernels(false);
  const memoryJs = measure(Math.min(1, SECONDS), () => decodeAll(make, bytes));
  useWasmKernels(undefined);
  const floor = measure(Math.min(1, SECONDS), () => (sumBytes(bytes), events));
  let disk: Rate | undefined;
  if (existsSync(path)) {
    disk = await measureAsync(Math.min(1, SECONDS), async () => {
      const file = await openEventFile(path, { format });
      let n = 0;
      for await (const batch of file.batches()) n += batch.length;
      return n;
    });
  }
  return {
    file: basename(path),
    bytes: bytes.length,
    events,
    fromMemory: mev(memory),
    fromMemoryJsLoops: mev(memoryJs),
    fromDisk: disk ? mev(disk) : 'n/a (generated in memory)',
    floorByteSum: { ...mev(floor), note: 'the same bytes summed in JS, as events of this file per second' },
    fractionOfFloor: ratio(memory.cpu, floor.cpu),
    fractionOfFloorJsLoops: ratio(memoryJs.cpu, floor.cpu),
  };
}

export default async function bench(): Promise<Record<string, unknown>> {
  const files = realFiles();
  const perFormat: Record<string, unknown> = {};
  for (const [format, paths] of Object.entries(files)) {
    const results = [];
    for (const path of paths) results.push(await benchFile(format, path));
    const largest = paths.reduce((a, b) => (statSync(b).size > statSync(a).size ? b : a));
    const headline = results.find((r) => r.file === basename(largest))!;
    const peer = PEERS[format]!;
    perFormat[format] = {
      headline: headline.file,
      mevPerSecond: headline.fromMemory.mevPerSecond,
      mevPerCpuSecond: headline.fromMemory.mevPerCpuSecond,
      minorFaultsPerRun: headline.fromMemory.minorFaultsPerRun,
      fromDiskMevPerSecond: typeof headline.fromDisk === 'string' ? headline.fromDisk : headline.fromDisk.mevPerSecond,
      peerMevPerSecond: peer,
      ratioToPeer: ratio(headline.fromMemory.mevPerCpuSecond, peer),
      jsLoopsMevPerCpuSecond: headline.fromMemoryJsLoops.mevPerCpuSecond,
      floorMevPerCpuSecond: headline.floorByteSum.mevPerCpuSecond,
      target: peer / 2,
      files: results,
    };
  }
  // EVT 2.1: no real file exists; the EVT 3.0 sample (or the bundled pedestrians) re-encoded.
  const source = hasShared ? sharedFile('recordings/evt3/expelliarmus_evt3_sample.raw') : bundled('evt3/expelliarmus_evt3_pedestrians_5000ev.raw');
  const { events } = await readAllEvents(source);
  const encoder = formatByName('evt21').createEncoder!({ width: events.width, height: events.height });
  const evt21 = Buffer.concat([encoder.header(), encoder.encode(events), encoder.end()]);
  perFormat.evt21 = { note: `no real EVT 2.1 file: ${basename(source)} re-encoded`, ...(await benchFile('evt21', 'evt21-in-memory', evt21)) };
  // The real DAT files are tiny (per-file set-up dominates): the EVT 2.0 sparklers (521,252 events) as DAT too.
  const sparklers = await readAllEvents(bundled('evt2/expelliarmus_evt2_sparklers.raw'));
  const datEncoder = formatByName('dat').createEncoder!({ width: sparklers.events.width, height: sparklers.events.height });
  const dat = Buffer.concat([datEncoder.header(), datEncoder.encode(sparklers.events), datEncoder.end()]);
  perFormat.datLarge = { note: 'expelliarmus_evt2_sparklers.raw re-encoded as DAT', ...(await benchFile('dat', 'dat-in-memory', dat)) };
  return perFormat;
}
