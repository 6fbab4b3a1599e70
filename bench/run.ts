/**
 * Runs every `bench/<area>.bench.ts` (or those named on the command line) and writes one JSON report. Each area
 * runs in a fresh child process, one after another: figures must not depend on the heap an earlier benchmark
 * left behind (a full heap slows allocation-heavy decoders by 10–20 %), and each area's peak RSS is its own.
 * Each benchmark module default-exports an async function returning its figures.
 *
 *   npm run bench                 # all areas, report in out/bench-report.json
 *   npm run bench -- snn video    # only these areas
 *   BENCH_REPORT=path npm run bench
 */
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, totalmem, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const benchDir = dirname(fileURLToPath(import.meta.url));
const self = fileURLToPath(import.meta.url);

// Child mode: run one area and write its figures to the given file.
if (process.argv[2] === '--one') {
  const [area, out] = [process.argv[3]!, process.argv[4]!];
  let figures: unknown;
  try {
    const module = (await import(pathToFileURL(join(benchDir, `${area}.bench.ts`)).href)) as {
      default: () => Promise<Record<string, unknown>>;
    };
    figures = { ...(await module.default()), processPeakRssMB: Math.round(process.resourceUsage().maxRSS / 1024) };
  } catch (error) {
    // One broken benchmark must not hide the others' figures.
    figures = { error: (error as Error).stack ?? String(error) };
  }
  await writeFile(out, JSON.stringify(figures));
  process.exit(0);
}

const wanted = process.argv.slice(2);
const reportPath = resolve(process.env.BENCH_REPORT ?? join(benchDir, '..', 'out', 'bench-report.json'));
const files = (await readdir(benchDir)).filter((f) => f.endsWith('.bench.ts')).sort();
const areas = files.map((f) => f.slice(0, -'.bench.ts'.length)).filter((a) => wanted.length === 0 || wanted.includes(a));
if (wanted.length > 0 && areas.length !== wanted.length) {
  const unknown = wanted.filter((w) => !areas.includes(w));
  console.error(`bench: unknown area(s) ${unknown.join(', ')}; known: ${files.map((f) => f.replace('.bench.ts', '')).join(', ')}`);
  process.exit(2);
}

const results: Record<string, unknown> = {};
const report = {
  date: new Date().toISOString(),
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryBytes: totalmem(),
  note: 'each area ran in its own fresh process; processPeakRssMB is that process’s peak',
  results,
};

for (const area of areas) {
  const started = performance.now();
  process.stderr.write(`bench: ${area} …\n`);
  const out = join(tmpdir(), `spikeflow-bench-${process.pid}-${area}.json`);
  const code = await new Promise<number | null>((done) => {
    const child = spawn(process.execPath, [...process.execArgv, self, '--one', area, out], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('exit', (c) => done(c));
  });
  results[area] = await readFile(out, 'utf8').then(
    (text) => JSON.parse(text) as unknown,
    () => ({ error: `the benchmark process exited with code ${code} before writing its figures` }),
  );
  await rm(out, { force: true });
  process.stderr.write(`bench: ${area} done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

await mkdir(dirname(reportPath), { recursive: true });
await writeFile(reportPath, `${JSON.stringify(report, null, 2)}\n`);
console.log(JSON.stringify(results, null, 2));
console.log(`bench: report written to ${reportPath}`);
