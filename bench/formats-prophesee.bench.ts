/**
 * Prophesee decode throughput (million events per second) and memory:
 * - per format, on every real file (../shared when present, else the bundled copies); the headline is the
 *   largest file of each format. EVT 2.1 has no real file: the EVT 3.0 sample re-encoded stands in;
 * - from memory: the file's bytes fed in 1 MiB chunks to a fresh decoder, repeated for ≥ BENCH_SECONDS (2), on
 *   the WebAssembly word loops (the default) and on the JS loops (SPIKEFLOW_NO_WASM=1), in the same run;
 * - from disk: the file source (openEventFile, 1 MiB reads), repeated for ≥ 1 s (page cache: a read path cost);
 * - floor: the same bytes summed in JS in the same run, as events/s of that file (decoding cannot beat reading);
 * - ratios against the native peers measured on this machine (EVT2 627, EVT3 190, DAT 817 Mev/s) and the
 *   targets (half of each);
 * - peak RSS of a child process stream-decoding a generated EVT 3.0 file of BENCH_BIG_BYTES (default 2e9):
 *   the EVT 3.0 sample's body repeated with TIME_HIGH shifted so time keeps increasing (and crosses the
 *   24-bit loop), written to os.tmpdir() and deleted afterwards. BENCH_BIG_BYTES=0 skips it. The child also
 *   reports its RSS before decoding (node + the tsx loader thread + modules); V8 keeps dead batches' buffers
 *   (tens of MB) until a full GC, which is most of the rest.
 * Rates are given by wall time and by process CPU time (robust when other processes share the cores).
 *
 *   npx tsx bench/run.ts formats-prophesee
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatByName } from '../src/formats/registry.ts';
import { useWasmKernels } from '../src/formats/prophesee/wasmKernels.ts';
import type { EventDecoder } from '../src/formats/types.ts';
import { openEventFile } from '../src/sources/openEventFile.ts';
import { readAllEvents } from '../src/sources/readAllEvents.ts';
import { bundled, hasShared, sharedFile } from '../test/helpers/shared.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const BIG_BYTES = Number(process.env.BENCH_BIG_BYTES ?? 2e9);
const CHUNK = 1 << 20;
const PEERS: Record<string, number> = { evt2: 627, evt3: 190, dat: 817 };
const CHILD_FLAG = '--decode-big-file';

interface Rate {
  wall: number;
  cpu: number;
  runs: number;
}

function measure(seconds: number, run: () => number): Rate {
  let runs = 0;
  let count = 0;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  do {
    count += run();
    runs++;
  } while (performance.now() - start < seconds * 1000);
  const wall = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu0);
  return { wall: count / wall, cpu: count / ((used.user + used.system) / 1e6), runs };
}

async function measureAsync(seconds: number, run: () => Promise<number>): Promise<Rate> {
  let runs = 0;
  let count = 0;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  do {
    count += await run();
    runs++;
  } while (performance.now() - start < seconds * 1000);
  const wall = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu0);
  return { wall: count / wall, cpu: count / ((used.user + used.system) / 1e6), runs };
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
const mev = (r: Rate) => ({ mevPerSecond: round(r.wall / 1e6), mevPerCpuSecond: round(r.cpu / 1e6), runs: r.runs });

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

/** The EVT 3.0 sample's words, with every TIME_HIGH shifted by `periods` (mod the 12-bit field). */
function shiftedEvt3Body(body: Uint16Array, periods: number): Uint16Array {
  const out = body.slice();
  for (let i = 0; i < out.length; i++) {
    const w = out[i]!;
    if (w >>> 12 === 0x8) out[i] = 0x8000 | (((w & 0xfff) + periods) & 0xfff);
  }
  return out;
}

async function writeBigEvt3(path: string, targetBytes: number): Promise<{ bytes: number; repeats: number }> {
  const sample = hasShared ? sharedFile('recordings/evt3/expelliarmus_evt3_sample.raw') : bundled('evt3/expelliarmus_evt3_pedestrians_5000ev.raw');
  const file = new Uint8Array(readFileSync(sample));
  let headerEnd = 0;
  while (file[headerEnd] === 0x25) headerEnd = file.indexOf(0x0a, headerEnd) + 1;
  const body = new Uint16Array(file.slice(headerEnd, headerEnd + ((file.length - headerEnd) & ~1)).buffer);
  let first = -1;
  let last = -1;
  for (const w of body) {
    if (w >>> 12 === 0x8) {
      if (first < 0) first = w & 0xfff;
      last = w & 0xfff;
    }
  }
  // Each repeat starts one period after the previous one ended, so time increases and wraps the 24-bit loop.
  const span = ((last - first) & 0xfff) + 1;
  const handle = await open(path, 'w');
  let bytes = 0;
  let repeats = 0;
  try {
    const header = file.subarray(0, headerEnd);
    await handle.write(header);
    bytes += header.length;
    const perWrite = Math.max(1, Math.floor((8 << 20) / body.byteLength));
    while (bytes < targetBytes) {
      const parts: Uint8Array[] = [];
      for (let r = 0; r < perWrite && bytes < targetBytes; r++, repeats++) {
        const words = shiftedEvt3Body(body, repeats * span);
        parts.push(new Uint8Array(words.buffer));
        bytes += words.byteLength;
      }
      await handle.write(Buffer.concat(parts));
    }
  } finally {
    await handle.close();
  }
  return { bytes, repeats };
}

async function bigFileRss() {
  if (!(BIG_BYTES > 0)) return 'skipped (BENCH_BIG_BYTES=0)';
  const path = join(tmpdir(), `spikeflow-bench-big-${process.pid}.raw`);
  try {
    const written = await writeBigEvt3(path, BIG_BYTES);
    const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), CHILD_FLAG, path], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    if (child.status !== 0) return { error: child.stderr.slice(-2000) };
    const result = JSON.parse(child.stdout.trim().split('\n').pop()!);
    return { fileBytes: written.bytes, repeatsOfSample: written.repeats, ...result, targetMaxRssMB: 150 };
  } finally {
    await rm(path, { force: true });
  }
}

/** In the child: stream-decode the big file through the file source and report counts and peak RSS. */
async function decodeBigFile(path: string) {
  // RSS before any event is decoded: node, the tsx loader thread and the modules (about 80-90 MB with tsx).
  const baselineRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
  const start = performance.now();
  const file = await openEventFile(path);
  let events = 0;
  let lastT = 0;
  for await (const batch of file.batches()) {
    events += batch.length;
    if (batch.length > 0) lastT = batch.t[batch.length - 1]!;
  }
  const seconds = (performance.now() - start) / 1000;
  const maxRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(
    `${JSON.stringify({ events, lastT, seconds: round(seconds), mevPerSecond: round(events / seconds / 1e6), maxRssMB, baselineRssMB })}\n`,
  );
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
  return { ...perFormat, bigEvt3: await bigFileRss() };
}

if (process.argv[2] === CHILD_FLAG) await decodeBigFile(process.argv[3]!);
