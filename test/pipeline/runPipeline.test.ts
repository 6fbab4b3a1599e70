import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ConfigError, DecodeError, SpikeflowError } from '../../src/errors.ts';
import { runPipeline } from '../../src/pipeline/runPipeline.ts';
import { readAllEvents } from '../../src/sources/readAllEvents.ts';
import { bundled, REPO } from '../helpers/shared.ts';

const SPARKLERS = bundled('evt2/expelliarmus_evt2_sparklers.raw');
const PEDESTRIANS = bundled('evt3/expelliarmus_evt3_pedestrians_5000ev.raw');

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'spikeflow-run-'));
}

async function writePipeline(dir: string, spec: unknown): Promise<string> {
  const path = join(dir, 'pipeline.json');
  await writeFile(path, JSON.stringify(spec));
  return path;
}

describe('runPipeline on a bundled recording', () => {
  it('detect.json writes contract detections, decodable non-empty spike maps and summary.json', async () => {
    const out = join(await tempDir(), 'out');
    const progress: number[] = [];
    const summary = await runPipeline(join(REPO, 'pipelines/detect.json'), { out, onProgress: (p) => progress.push(p.events) });
    // The manifest's facts of the sparklers recording: 521,252 events, 640 × 480.
    expect(summary).toMatchObject({ events: 521_252, width: 640, height: 480, out });
    expect(summary.filteredEvents).toBeLessThan(summary.events);
    expect(summary.inputSpikes).toBe(summary.filteredEvents);
    expect(summary.spikes).toBeGreaterThan(0);
    expect(progress.at(-1)).toBe(521_252);

    const lines = (await readFile(join(out, 'detections.ndjson'), 'utf8')).trimEnd().split('\n');
    expect(lines.length).toBe(summary.detections);
    expect(summary.detections).toBeGreaterThan(10);
    let lastT = 0;
    for (const line of lines) {
      const d = JSON.parse(line);
      expect(Object.keys(d)).toEqual(['t', 'id', 'x', 'y', 'w', 'h', 'score']);
      for (const key of ['t', 'id', 'x', 'y', 'w', 'h']) expect(Number.isInteger(d[key]), key).toBe(true);
      expect(d.w).toBeGreaterThan(0);
      expect(d.x + d.w).toBeLessThanOrEqual(640 + 8);
      expect(d.score).toBeGreaterThan(0);
      expect(d.score).toBeLessThanOrEqual(1);
      expect(d.t).toBeGreaterThanOrEqual(lastT);
      lastT = d.t;
    }
    expect(new Set(lines.map((l) => JSON.parse(l).id)).size).toBe(summary.tracks);

    const pngs = (await readdir(join(out, 'spikemaps'))).sort();
    expect(pngs.length).toBe(summary.spikemaps);
    expect(pngs[0]).toMatch(/^000000_t\d+\.png$/);
    const { data, info } = await sharp(join(out, 'spikemaps', pngs[3])).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([640, 480, 3]);
    let lit = 0;
    let green = 0;
    for (let i = 0; i < data.length; i += 3) {
      if (data[i] + data[i + 1] + data[i + 2] > 0) lit++;
      if (data[i] === 0 && data[i + 1] === 255 && data[i + 2] === 0) green++;
    }
    expect(lit).toBeGreaterThan(1000);
    expect(green, 'box outlines').toBeGreaterThan(0);

    expect(JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(summary)));
    expect(existsSync(join(out, 'detections.ndjson.partial'))).toBe(false);
  });

  it('resolves the source against the pipeline file; --input overrides it; a sink converts exactly', async () => {
    const dir = await tempDir();
    const pipeline = await writePipeline(dir, {
      source: { type: 'file', path: relative(dir, SPARKLERS) },
      network: { type: 'none' },
      readout: { detections: false, spikemaps: false },
      sinks: [{ type: 'event-file', path: 'copy.es' }],
    });
    const summary = await runPipeline(pipeline, { input: relative(process.cwd(), PEDESTRIANS), out: join(dir, 'out') });
    expect(summary.events).toBe(5000);
    expect(summary.input).toBe(PEDESTRIANS);
    const copy = await readAllEvents(join(dir, 'out', 'copy.es'));
    const original = await readAllEvents(PEDESTRIANS);
    expect(copy.events.length).toBe(5000);
    expect(Array.from(copy.events.t)).toEqual(Array.from(original.events.t));
    expect(Array.from(copy.events.x)).toEqual(Array.from(original.events.x));
  });

  it('draws time surfaces of the filtered events', async () => {
    const out = join(await tempDir(), 'out');
    const dir = await tempDir();
    const pipeline = await writePipeline(dir, {
      source: { type: 'file', path: PEDESTRIANS },
      network: { type: 'none' },
      readout: { detections: false, spikemaps: { view: 'timesurface', periodMs: 10, tauMs: 5 } },
    });
    const summary = await runPipeline(pipeline, { out });
    expect(summary.spikemaps).toBe(4); // 5840504..5885714 µs: maps at 5850000, …, 5880000
    const pngs = (await readdir(join(out, 'spikemaps'))).sort();
    expect(pngs).toEqual(['000000_t5850000.png', '000001_t5860000.png', '000002_t5870000.png', '000003_t5880000.png']);
    const { info } = await sharp(join(out, 'spikemaps', pngs[0])).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([1280, 720]);
  });
});

describe('runPipeline stop', () => {
  it('ends the input early on `stop` and still finishes every output', async () => {
    const out = join(await tempDir(), 'out');
    const stop = new AbortController();
    const summary = await runPipeline(join(REPO, 'pipelines/detect.json'), { out, stop: stop.signal, onProgress: () => stop.abort() });
    expect(summary.stopped).toBe(true);
    expect(summary.events).toBeGreaterThan(0);
    expect(summary.events).toBeLessThan(521_252);
    expect(JSON.parse(await readFile(join(out, 'summary.json'), 'utf8')).stopped).toBe(true);
    expect(existsSync(join(out, 'detections.ndjson'))).toBe(true);
  });
});

describe('runPipeline refuses bad pipelines and reports failed runs', () => {
  it('a bad filter option names its key path and nothing is written', async () => {
    const dir = await tempDir();
    const pipeline = await writePipeline(dir, { source: { type: 'file', path: PEDESTRIANS }, filters: [{ type: 'refractory', periodUs: -3 }] });
    const error = await runPipeline(pipeline, { out: join(dir, 'out') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).parameter).toBe('filters[0].periodUs');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('outputs cannot escape --out', async () => {
    const dir = await tempDir();
    for (const [spec, key] of [
      [{ sinks: [{ type: 'event-file', path: '../escaped.es' }] }, 'sinks[0].path'],
      [{ readout: { spikemaps: { video: '/tmp/escaped.mp4' } } }, 'readout.spikemaps.video'],
    ] as const) {
      const pipeline = await writePipeline(dir, { source: { type: 'file', path: PEDESTRIANS }, ...spec });
      const error = await runPipeline(pipeline, { out: join(dir, 'out') }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).parameter).toBe(key);
    }
    expect(existsSync(join(dir, 'escaped.es'))).toBe(false);
    expect(existsSync('/tmp/escaped.mp4')).toBe(false);
  });

  it('a run that fails or is aborted leaves no summary.json (and removes a stale one)', async () => {
    const dir = await tempDir();
    const out = join(dir, 'out');
    await runPipeline(join(REPO, 'pipelines/convert.json'), { out });
    expect(existsSync(join(out, 'summary.json'))).toBe(true);
    const truncated = join(dir, 'truncated.raw');
    const bytes = await readFile(PEDESTRIANS);
    await writeFile(truncated, bytes.subarray(0, bytes.length - 1));
    await expect(runPipeline(join(REPO, 'pipelines/convert.json'), { input: truncated, out })).rejects.toThrow(DecodeError);
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
    const abort = new AbortController();
    abort.abort();
    await expect(runPipeline(join(REPO, 'pipelines/detect.json'), { out, signal: abort.signal })).rejects.toThrow(SpikeflowError);
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
  });
});

describe('runPipeline network choices', () => {
  it('runs a network file whose source population matches the encoder grid, with lateral inhibition', async () => {
    const dir = await tempDir();
    // Pedestrians: 1280 × 720, pool 8, merged polarity → 160 × 90 × 1 cells.
    await writeFile(
      join(dir, 'net.json'),
      JSON.stringify({
        populations: [
          { name: 'cells', model: 'source', shape: [160, 90, 1] },
          { name: 'blobs', model: 'lif', shape: [160, 90, 1], tauMs: 10, threshold: 3, vRest: 0, vReset: 0, refractoryMs: 1 },
        ],
        projections: [
          { from: 'cells', to: 'blobs', connect: 'conv2d', kernel: [[1, 1, 1], [1, 1, 1], [1, 1, 1]], weight: 1, delayUs: 1 },
          { from: 'blobs', to: 'blobs', connect: 'lateral-inhibition', radius: 1, weight: -1, delayUs: 1 },
        ],
      }),
    );
    const spec = {
      source: { type: 'file', path: PEDESTRIANS },
      encoder: { pool: 8, polarity: 'merged' },
      network: { type: 'file', path: 'net.json', output: 'blobs' },
      readout: { spikemaps: { population: 'blobs', mode: 'trace' } },
    };
    const summary = await runPipeline(await writePipeline(dir, spec), { out: join(dir, 'out') });
    expect(summary.inputSpikes).toBe(5000);
    expect(summary.spikes).toBeGreaterThan(0);
    expect(summary.spikemaps).toBe(4);

    const wrongGrid = { ...spec, encoder: { pool: 4, polarity: 'merged' } };
    const error = await runPipeline(await writePipeline(dir, wrongGrid), { out: join(dir, 'out2') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).parameter).toBe('network.path');
    expect((error as ConfigError).allowed).toMatch(/has 57600 neurons .*not 14400/);
  });

  it('network "none" detects on the input cells directly', async () => {
    const dir = await tempDir();
    const pipeline = await writePipeline(dir, { source: { type: 'file', path: SPARKLERS }, network: { type: 'none' }, readout: { spikemaps: false } });
    const summary = await runPipeline(pipeline, { out: join(dir, 'out') });
    expect(summary.spikes).toBe(0);
    expect(summary.detections).toBeGreaterThan(0);
  });
});
