/**
 * Runs every `bench/<area>.bench.ts` (or those named on the command line) one after another and writes one JSON
 * report. Each benchmark module default-exports an async function returning its figures.
 *
 *   npm run bench                 # all areas, report in out/bench-report.json
 *   npm run bench -- snn video    # only these areas
 *   BENCH_REPORT=path npm run bench
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const benchDir = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const reportPath = resolve(process.env.BENCH_REPORT ?? join(benchDir, '..', 'out', 'bench-report.json'));

const files = (await readdir(benchDir)).filter((f) => f.endsWith('.bench.ts')).sort();
const areas = files.map((f) => f.slice(0, -'.bench.ts'.length)).filter((a) => wanted.length === 0 || wanted.includes(a));
if (wanted.length > 0 && areas.length !== wanted.length) {
  const unknown = wanted.filter((w) => !areas.includes(w));
  console.error(`bench: unknown area(s) ${unknown.join(', ')}; known: ${files.map((f) => f.replace('.bench.ts', '')).join(', ')}`);
  process.exit(2);
}

const report: Record<string, unknown> = {
  date: new Date().toISOString(),
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryBytes: totalmem(),
  results: {} as Record<string, unknown>,
};
const results = report.results as Record<string, unknown>;

for (const area of areas) {
  const started = performance.now();
  process.stderr.write(`bench: ${area} …\n`);
  try {
    const module = (await import(pathToFileURL(join(benchDir, `${area}.bench.ts`)).href)) as {
      default: () => Promise<Record<string, unknown>>;
    };
    results[area] = await module.default();
  } catch (error) {
    // One broken benchmark must not hide the others' figures.
    results[area] = { error: (error as Error).stack ?? String(error) };
  }
  process.stderr.write(`bench: ${area} done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

await mkdir(dirname(reportPath), { recursive: true });
await writeFile(reportPath, `${JSON.stringify(report, null, 2)}\n`);
console.log(JSON.stringify(results, null, 2));
console.log(`bench: report written to ${reportPath}`);
