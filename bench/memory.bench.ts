/**
 * Peak memory (issues 3 and 6: peak RSS ≤ 150 MB), measured on the product as users run it: `node
 * bin/spikeflow.js …` (what `npx spikeflow` and `npm start` run) in a child process, with no extra flags or
 * environment. A tiny `--import` module reports the child's own peak RSS (getrusage maxRSS) when it exits.
 *
 * - `decodeBigEvt3` (issue 3): `spikeflow info --json` stream-decodes a generated EVT 3.0 file of
 *   BENCH_BIG_BYTES (default 2e9) through the file source: the EVT 3.0 sample's body repeated with TIME_HIGH
 *   shifted so time keeps increasing (and crosses the 24-bit loop).
 * - `detectBigRecording` (issue 6): `spikeflow run pipelines/detect.json` on a generated EVT 2.0 recording of
 *   BENCH_PIPELINE_BYTES (default 2e9; about 500 M events, 96 s of event time, ~9,600 spike-map PNGs): the
 *   bundled sparklers recording tiled in time.
 * - `npmStart`: what `npm start` runs (detect.json on the bundled sparklers recording).
 * - `startup`: the same child doing nothing but `--help` (node, the CLI's modules): the floor under the others.
 * Generated files go to os.tmpdir() and are deleted afterwards; 0 skips a measurement. BENCH_KEEP_FILES=1 keeps
 * them (and reuses them when present) for repeated runs.
 *
 *   npm run bench -- memory
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readAllEvents } from '../src/sources/readAllEvents.ts';
import { bundled, hasShared, sharedFile } from '../test/helpers/shared.ts';
import { writeTiledEvt2 } from './tiledRecording.ts';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(REPO, 'bin/spikeflow.js');
const EVT3_BYTES = Number(process.env.BENCH_BIG_BYTES ?? 2e9);
const PIPELINE_BYTES = Number(process.env.BENCH_PIPELINE_BYTES ?? 2e9);
const KEEP = process.env.BENCH_KEEP_FILES === '1';
const TARGET_MB = 150;
/** The same measurements before the CLI ran compiled and loaded commands on demand (71a16a0, load ~10). */
const BEFORE = {
  commit: '71a16a0 (tsx loader thread, every module loaded, default young generation)',
  startupPeakRssMB: 125,
  decodeBigEvt3PeakRssMB: 183,
  detectBigRecordingPeakRssMB: 233,
};

/** Writes the process's peak RSS and CPU time to the file named by the environment when it exits. */
const REPORTER = `import { writeFileSync } from 'node:fs';
process.on('exit', () => {
  const u = process.resourceUsage();
  writeFileSync(process.env.SPIKEFLOW_BENCH_RSS_FILE, JSON.stringify({ maxRssKb: u.maxRSS, cpuUs: u.userCPUTime + u.systemCPUTime }));
});
`;

interface ChildRun {
  readonly peakRssMB: number;
  readonly wallS: number;
  readonly cpuS: number;
  readonly stdout: string;
}

/** Runs `node bin/spikeflow.js ...args` as a user would and returns its peak RSS, wall and CPU time. */
async function runCli(args: readonly string[], dir: string): Promise<ChildRun> {
  const reporter = join(dir, 'report-rss.mjs');
  const rssFile = join(dir, `rss-${Date.now()}.txt`);
  await writeFile(reporter, REPORTER);
  const started = performance.now();
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
    const child = spawn(process.execPath, ['--import', reporter, BIN, ...args], {
      cwd: REPO,
      // The user's environment, minus whatever the bench runner itself was started with.
      env: { ...process.env, NODE_OPTIONS: '', SPIKEFLOW_BENCH_RSS_FILE: rssFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    child.on('exit', (c) => done({ code: c, stdout: out, stderr: err }));
  });
  const wallS = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`spikeflow ${args.join(' ')} exited with ${code}: ${stderr}`);
  const { maxRssKb, cpuUs } = JSON.parse(await readFile(rssFile, 'utf8')) as { maxRssKb: number; cpuUs: number };
  await rm(rssFile, { force: true });
  return { peakRssMB: Math.round(maxRssKb / 1024), wallS: round(wallS), cpuS: round(cpuUs / 1e6), stdout };
}

const round = (v: number) => Math.round(v * 10) / 10;

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

/** The sparklers recording (EVT 2.0) tiled in time up to `targetBytes`. */
async function writeTiledSparklers(path: string, targetBytes: number): Promise<{ bytes: number; repeats: number }> {
  const { events } = await readAllEvents(bundled('evt2/expelliarmus_evt2_sparklers.raw'));
  return writeTiledEvt2(path, events, { targetBytes });
}

/** A generated file in tmpdir, reused when BENCH_KEEP_FILES=1 and it is already there. */
async function generated(name: string, bytes: number, write: (path: string, bytes: number) => Promise<unknown>): Promise<string> {
  const path = join(tmpdir(), KEEP ? `spikeflow-bench-${name}-${bytes}` : `spikeflow-bench-${process.pid}-${name}`);
  if (!(KEEP && existsSync(path) && statSync(path).size >= bytes)) await write(path, bytes);
  return path;
}

async function decodeBigEvt3(dir: string): Promise<unknown> {
  if (!(EVT3_BYTES > 0)) return 'skipped (BENCH_BIG_BYTES=0)';
  const path = await generated('evt3.raw', EVT3_BYTES, writeBigEvt3);
  try {
    const run = await runCli(['info', '--json', path], dir);
    const facts = JSON.parse(run.stdout) as { events: number; tLast: number };
    return {
      command: 'spikeflow info --json BIG.raw',
      fileBytes: statSync(path).size,
      events: facts.events,
      tLast: facts.tLast,
      wallS: run.wallS,
      cpuS: run.cpuS,
      mevPerSecond: round(facts.events / run.wallS / 1e6),
      peakRssMB: run.peakRssMB,
      targetMaxRssMB: TARGET_MB,
    };
  } finally {
    if (!KEEP) await rm(path, { force: true });
  }
}

async function detectBigRecording(dir: string): Promise<unknown> {
  if (!(PIPELINE_BYTES > 0)) return 'skipped (BENCH_PIPELINE_BYTES=0)';
  const path = await generated('tiled.raw', PIPELINE_BYTES, writeTiledSparklers);
  const out = join(dir, 'detect');
  try {
    const run = await runCli(['run', 'pipelines/detect.json', '--input', path, '--out', out], dir);
    const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8')) as {
      events: number;
      eventTimeUs: number;
      spikemaps: number;
      detections: number;
      realTimeFactor: number;
    };
    return {
      command: 'spikeflow run pipelines/detect.json --input BIG.raw',
      fileBytes: statSync(path).size,
      events: summary.events,
      eventTimeS: summary.eventTimeUs / 1e6,
      spikemaps: summary.spikemaps,
      detections: summary.detections,
      wallS: run.wallS,
      cpuS: run.cpuS,
      realTimeFactor: round(summary.realTimeFactor),
      peakRssMB: run.peakRssMB,
      targetMaxRssMB: TARGET_MB,
    };
  } finally {
    await rm(out, { recursive: true, force: true });
    if (!KEEP) await rm(path, { force: true });
  }
}

export default async function bench(): Promise<Record<string, unknown>> {
  const dir = await mkdtemp(join(tmpdir(), 'spikeflow-bench-memory-'));
  try {
    const startup = await runCli(['--help'], dir);
    const npmStart = await runCli(['run', 'pipelines/detect.json', '--out', join(dir, 'start')], dir);
    return {
      startup: { command: 'spikeflow --help', peakRssMB: startup.peakRssMB, wallS: startup.wallS, cpuS: startup.cpuS },
      npmStart: { command: 'spikeflow run pipelines/detect.json', peakRssMB: npmStart.peakRssMB, wallS: npmStart.wallS, cpuS: npmStart.cpuS },
      decodeBigEvt3: await decodeBigEvt3(dir),
      detectBigRecording: await detectBigRecording(dir),
      before: BEFORE,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
