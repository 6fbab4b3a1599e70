/**
 * Decode throughput of the N-MNIST, Event Stream, CSV, NPY and HDF5 readers, in million events per second:
 * from memory (bytes already read, fed in 1 MiB chunks, repeated for at least BENCH_SECONDS, default 2 s) and
 * from disk (the file source, one pass). The floor is reading the same bytes and summing them in JS.
 * Memory figures are given per CPU-second (process.cpuUsage: the machine is shared, so wall time measures the
 * neighbours too) and per wall-second.
 * Inputs: the largest real file of each format (../shared when present, else the bundled samples); CSV and
 * HDF5 have no real sample, so they are generated from the largest Event Stream recording's events. The
 * bundled samples are small (5000 events), so `generated` also decodes a seeded 1M-event stream written in
 * each format (NPY packed 13-byte and padded 16-byte records, CSV in µs and in seconds), against the issue's
 * targets (NPY >= 100, N-MNIST and ES >= 50, CSV >= 15 Mev/s per CPU-second).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatByName } from '../src/formats/registry.ts';
import { openEventFile } from '../src/sources/openEventFile.ts';
import { readAllEvents } from '../src/sources/readAllEvents.ts';
import type { EventBatch } from '../src/events/eventBatch.ts';
import { makeBatch } from '../src/events/eventBatch.ts';
import { bundled, REPO, sharedFile } from '../test/helpers/shared.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const CHUNK = 1 << 20;

function pick(shared: string, local: string): string {
  const s = sharedFile(shared);
  return existsSync(s) ? s : bundled(local);
}

/** Feeds bytes through a fresh decoder until SECONDS have passed; returns events/s and the event count. */
function decodeInMemory(name: string, bytes: Uint8Array, options: { width?: number; height?: number; timeUnit?: string }) {
  const format = formatByName(name);
  let runs = 0;
  let events = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  do {
    const decoder = format.createDecoder!({ file: 'bench', ...options });
    for (let o = 0; o < bytes.length; o += CHUNK) events += decoder.push(bytes.subarray(o, o + CHUNK)).length;
    events += decoder.end().length;
    runs++;
  } while (performance.now() - start < SECONDS * 1000);
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  return { eventsPerRun: events / runs, mevPerSecond: events / 1e6 / seconds, cpuMevPerSecond: events / 1e6 / cpuSeconds, runs };
}

/** The targets, in Mev per CPU-second from memory. */
const TARGETS: Record<string, number> = { nmnist: 50, es: 50, csv: 15, csvSeconds: 15, npyPacked: 100, npyPadded: 100 };

/**
 * Measured with this benchmark's `generated` inputs on the code before the speed work (ad26a3f), same machine,
 * same day (Mev per CPU-second, 2 cores shared with other jobs: +-15 %).
 */
const BEFORE: Record<string, number> = { nmnist: 89, es: 93, csv: 6.5, csvSeconds: 2.5, npyPacked: 41, npyPadded: 42 };

/** A seeded stream of N events (about 1 event per 4 µs) at the given geometry. */
function syntheticEvents(n: number, width: number, height: number): EventBatch {
  let s = 0x2545f491;
  const random = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
  const t = new Float64Array(n);
  const x = new Uint16Array(n);
  const y = new Uint16Array(n);
  const p = new Uint8Array(n);
  let clock = 1_000_000;
  for (let i = 0; i < n; i++) {
    clock += Math.floor(random() * random() * 16);
    t[i] = clock;
    x[i] = Math.floor(random() * width);
    y[i] = Math.floor(random() * height);
    p[i] = random() < 0.5 ? 1 : 0;
  }
  return makeBatch({ width, height }, t, x, y, p);
}

function encodeAll(name: string, events: EventBatch): Uint8Array {
  const encoder = formatByName(name).createEncoder!(events);
  return new Uint8Array(Buffer.concat([encoder.header(), encoder.encode(events), encoder.end()]));
}

/** An .npy of `<i8 t, <i2 x, <i2 y, |u1 p`, packed (13 bytes) or padded to 16 as NumPy's aligned dtypes are. */
function npyBytes(events: EventBatch, itemSize: 13 | 16): Uint8Array {
  const pad = itemSize === 16 ? ", ('', '|V3')" : '';
  let text = `{'descr': [('t', '<i8'), ('x', '<i2'), ('y', '<i2'), ('p', '|u1')${pad}], 'fortran_order': False, 'shape': (${events.length},), }`;
  text = text.padEnd(Math.ceil((10 + text.length + 1) / 64) * 64 - 11, ' ') + '\n';
  const header = new TextEncoder().encode(text);
  const out = new Uint8Array(10 + header.length + events.length * itemSize);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  out.set(header, 10);
  for (let i = 0, o = 10 + header.length; i < events.length; i++, o += itemSize) {
    view.setUint32(o, events.t[i]! % 4294967296, true);
    view.setUint32(o + 4, Math.floor(events.t[i]! / 4294967296), true);
    view.setInt16(o + 8, events.x[i]!, true);
    view.setInt16(o + 10, events.y[i]!, true);
    view.setUint8(o + 12, events.p[i]!);
  }
  return out;
}

/** ECD/RPG-style text: `seconds x y p`, t with 6 decimals, space separated. */
function csvSecondsBytes(events: EventBatch): Uint8Array {
  const lines = [`# ${events.width} ${events.height}`];
  for (let i = 0; i < events.length; i++) {
    const t = events.t[i]!;
    lines.push(`${Math.floor(t / 1e6)}.${String(t % 1e6).padStart(6, '0')} ${events.x[i]} ${events.y[i]} ${events.p[i]}`);
  }
  return new TextEncoder().encode(lines.join('\n') + '\n');
}

/** Every format decoding the same seeded 1M events from memory, against the targets and the before-figures. */
function generatedInputs() {
  const n = Number(process.env.BENCH_GENERATED_EVENTS ?? 1_000_000);
  const small = syntheticEvents(n, 34, 34);
  const vga = syntheticEvents(n, 640, 480);
  const geometry = { width: 640, height: 480 };
  // Each input is made just before it is decoded, so that only one is alive at a time: the garbage and the
  // live heap of the others would otherwise be collected on the decoders' time.
  const inputs: [string, string, () => Uint8Array, object][] = [
    ['nmnist', 'nmnist', () => encodeAll('nmnist', small), {}],
    ['es', 'es', () => encodeAll('es', vga), {}],
    ['csv', 'csv', () => encodeAll('csv', vga), {}],
    ['csvSeconds', 'csv', () => csvSecondsBytes(vga), {}],
    ['npyPacked', 'npy', () => npyBytes(vga, 13), geometry],
    ['npyPadded', 'npy', () => npyBytes(vga, 16), geometry],
  ];
  const out: Record<string, unknown> = { events: n };
  for (const [label, name, make, options] of inputs) {
    const bytes = make();
    const m = decodeInMemory(name, bytes, options);
    if (m.eventsPerRun !== n) throw new Error(`${label}: decoded ${m.eventsPerRun} of ${n} events`);
    out[label] = {
      bytes: bytes.length,
      cpuMevPerSecond: round(m.cpuMevPerSecond),
      wallMevPerSecond: round(m.mevPerSecond),
      target: TARGETS[label],
      meetsTarget: m.cpuMevPerSecond >= TARGETS[label]!,
      ...(BEFORE[label] ? { beforeCpuMevPerSecond: BEFORE[label], speedup: round(m.cpuMevPerSecond / BEFORE[label]) } : {}),
    };
  }
  return out;
}

/** The floor: the same bytes summed in JS, for as long, as "events" per second (same events per byte). */
function floor(bytes: Uint8Array, eventsPerRun: number) {
  let runs = 0;
  let sink = 0;
  const start = performance.now();
  do {
    for (let o = 0; o < bytes.length; o += CHUNK) {
      const chunk = bytes.subarray(o, o + CHUNK);
      let sum = 0;
      for (let i = 0; i < chunk.length; i++) sum += chunk[i]!;
      sink += sum;
    }
    runs++;
  } while (performance.now() - start < Math.min(SECONDS, 1) * 1000);
  const seconds = (performance.now() - start) / 1000;
  return { mevPerSecond: (eventsPerRun * runs) / 1e6 / seconds, checksum: sink % 1000 };
}

async function fromDisk(path: string, options: { format?: string; width?: number; height?: number }) {
  const start = performance.now();
  const file = await openEventFile(path, options);
  let events = 0;
  for await (const batch of file.batches()) events += batch.length;
  const seconds = (performance.now() - start) / 1000;
  return { events, mevPerSecond: events / 1e6 / seconds };
}

export default async function bench(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'spikeflow-bench-formats-'));
  try {
    const esPath = pick('recordings/es/SYNTHETIC_event_stream_examples_dvs.es', 'es/loris_test_TRANSCODED_from_NCARS_obj_004397.es');
    const { events: esEvents } = await readAllEvents(esPath);
    const geometry = { width: esEvents.width, height: esEvents.height };
    const csvPath = join(dir, 'events.csv');
    const csvEncoder = formatByName('csv').createEncoder!(geometry);
    writeFileSync(csvPath, Buffer.concat([csvEncoder.header(), csvEncoder.encode(esEvents)]));
    const h5Path = join(dir, 'events.h5');
    await formatByName('hdf5').writeFile!(h5Path, (async function* (): AsyncGenerator<EventBatch> { yield esEvents; })(), geometry);

    const inputs = [
      { name: 'nmnist', path: pick('recordings/nmnist/slayerPytorch_NMNIST_1.bs2', 'nmnist/slayerPytorch_NMNIST_1.bs2'), options: {} },
      { name: 'es', path: esPath, options: {} },
      { name: 'csv', path: csvPath, options: geometry },
      { name: 'npy', path: pick('recordings/npy/expelliarmus_evt3_sample_ref.npy', 'npy/expelliarmus_evt3_pedestrians_5000ev_ref.npy'), options: { width: 1280, height: 720 } },
    ];
    const results: Record<string, unknown> = {};
    for (const input of inputs) {
      const bytes = new Uint8Array(readFileSync(input.path));
      const memory = decodeInMemory(input.name, bytes, input.options);
      results[input.name] = {
        file: input.name === 'csv' ? 'generated from the Event Stream events' : input.path.replace(/^.*\/recordings\//, ''),
        bytes: bytes.length,
        events: memory.eventsPerRun,
        memoryMevPerSecond: round(memory.mevPerSecond),
        memoryCpuMevPerSecond: round(memory.cpuMevPerSecond),
        diskMevPerSecond: round((await fromDisk(input.path, { format: input.name, ...input.options })).mevPerSecond),
        jsFloorMevPerSecond: round(floor(bytes, memory.eventsPerRun).mevPerSecond),
      };
    }
    // HDF5 is random access (no byte-stream decoder): disk only, repeated for SECONDS.
    let h5Events = 0;
    const h5Start = performance.now();
    do h5Events += (await fromDisk(h5Path, geometry)).events;
    while (performance.now() - h5Start < SECONDS * 1000);
    results.hdf5 = {
      file: 'generated DSEC layout from the Event Stream events',
      events: esEvents.length,
      diskMevPerSecond: round(h5Events / 1e6 / ((performance.now() - h5Start) / 1000)),
    };
    results.generated = generatedInputs();
    results.esLargeFile = largeFileRss(dir);
    // Includes loading h5wasm under tsx (~600 MB by itself, measured: plain node needs ~80 MB); the byte-stream
    // decoders above run in constant memory (1 MiB chunks).
    results.peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Peak RSS of a child process that decodes a generated Event Stream file of LARGE_EVENTS events (5 bytes
 * each) through the file source: the decoder's memory must not grow with the file.
 */
function largeFileRss(dir: string) {
  const events = Number(process.env.BENCH_LARGE_EVENTS ?? 40_000_000);
  const path = join(dir, 'large.es');
  const encoder = formatByName('es').createEncoder!({ width: 640, height: 480 });
  const fd = openSync(path, 'w');
  writeSync(fd, encoder.header());
  const n = 1 << 20;
  for (let done = 0; done < events; done += n) {
    const t = new Float64Array(n).map((_, i) => Math.floor((done + i) / 4));
    const x = new Uint16Array(n).map((_, i) => (done + i) % 640);
    const y = new Uint16Array(n).map((_, i) => (done + i) % 480);
    writeSync(fd, encoder.encode(makeBatch({ width: 640, height: 480 }, t, x, y, new Uint8Array(n).fill(1))));
  }
  closeSync(fd);
  const script = join(dir, 'decode-large.mts');
  writeFileSync(
    script,
    `import { openEventFile } from ${JSON.stringify(join(REPO, 'src/sources/openEventFile.ts'))};\n` +
      `const start = performance.now(); let n = 0;\n` +
      `for await (const b of (await openEventFile(${JSON.stringify(path)})).batches()) n += b.length;\n` +
      `console.log(JSON.stringify({ events: n, seconds: (performance.now() - start) / 1000, peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }));\n`,
  );
  const child = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: REPO, encoding: 'utf8' });
  if (child.status !== 0) return { error: child.stderr.slice(0, 500) };
  const result = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as { events: number; seconds: number; peakRssMB: number };
  return { fileMB: Math.round((events * 5) / 1e6), ...result, mevPerSecond: round(result.events / 1e6 / result.seconds) };
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
