import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { from, lastValueFrom, toArray } from 'rxjs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { encode } from '../../src/encoding/encode.ts';
import { cellGrid } from '../../src/encoding/encoderOptions.ts';
import { concatBatches } from '../../src/events/eventBatch.ts';
import { createFilter } from '../../src/operators/registry.ts';
import { loadPipeline } from '../../src/pipeline/loadPipeline.ts';
import { runPipeline } from '../../src/pipeline/runPipeline.ts';
import { detectionLines } from '../../src/readout/detectionLines.ts';
import { DETECTION_POPULATION, detectionNetworkSpec } from '../../src/readout/detectionNetwork.ts';
import { Detector } from '../../src/readout/detector.ts';
import { buildNetwork } from '../../src/snn/network.ts';
import { readAllEvents } from '../../src/sources/readAllEvents.ts';
import { bundled, hasShared, NO_SHARED, REPO, sharedFile } from '../helpers/shared.ts';

/**
 * Outputs of `run pipelines/detect.json` must not change with the pipeline's speed work (batching, folding
 * channels, rendering, PNG settings). Two checks that do not depend on the detector's tuning (which another
 * area changes on purpose):
 * - golden figures recorded before the speed work: counts of every stage and the decoded pixels of the spike
 *   maps drawn without boxes (pixels, not PNG bytes, so PNG compression settings alone do not matter);
 * - detections.ndjson equals, byte for byte, the detections of a plain reference path: the whole recording
 *   filtered, encoded, run through a two-channel detection network and the detector in one call each.
 */
const DETECT = join(REPO, 'pipelines/detect.json');

async function withOut<T>(work: (out: string) => Promise<T>): Promise<T> {
  const out = await mkdtemp(join(tmpdir(), 'spikeflow-golden-'));
  try {
    return await work(out);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

/** detect.json with the spike maps drawn without boxes. */
async function mapsWithoutBoxes(dir: string): Promise<string> {
  const spec = JSON.parse(await readFile(DETECT, 'utf8'));
  spec.readout.spikemaps.boxes = false;
  delete spec.source;
  const path = join(dir, 'detect-noboxes.json');
  await writeFile(path, JSON.stringify({ source: { type: 'file', path: 'unused.raw' }, ...spec }));
  return path;
}

async function goldenFigures(input: string): Promise<Record<string, unknown>> {
  return withOut(async (dir) => {
    const out = join(dir, 'run');
    const s = await runPipeline(await mapsWithoutBoxes(dir), { input, out });
    const pixels = createHash('sha3-224');
    const maps = (await readdir(join(out, 'spikemaps'))).sort();
    for (const name of maps) {
      pixels.update(name);
      pixels.update(await sharp(join(out, 'spikemaps', name)).raw().toBuffer());
    }
    return {
      events: s.events,
      filteredEvents: s.filteredEvents,
      inputSpikes: s.inputSpikes,
      spikes: s.spikes,
      spikemaps: s.spikemaps,
      mapFiles: maps.length,
      pixelsDigest: pixels.digest('hex'),
    };
  });
}

/** detect.json's detections computed the plain way: every stage once over the whole recording. */
async function referenceDetections(input: string): Promise<string> {
  const { spec } = await loadPipeline(DETECT);
  const { events } = await readAllEvents(input);
  let filtered$ = from([events]);
  for (const f of spec.filters) filtered$ = filtered$.pipe(createFilter(f.type, f.options, f.keyPath));
  const filtered = concatBatches(await lastValueFrom(filtered$.pipe(toArray())));
  const spikes = await lastValueFrom(from([filtered]).pipe(encode({ ...spec.encoder, population: 'input' }), toArray()));
  const all = { ...spikes[0], t: Float64Array.from([...spikes[0].t, ...(spikes[1]?.t ?? [])]), neuron: Uint32Array.from([...spikes[0].neuron, ...(spikes[1]?.neuron ?? [])]) };
  const input$ = { ...all, length: all.t.length, until: spikes.at(-1)!.until };
  const grid = cellGrid(events, spec.encoder);
  if (spec.network.type !== 'dotie') throw new Error('detect.json runs the dotie network');
  const network = buildNetwork(detectionNetworkSpec(grid, 'input', { ...spec.network, delayUs: 1 }));
  const detectSpikes = network.run(input$, input$.until).spikes[DETECTION_POPULATION];
  const d = spec.readout.detections;
  if (!d) throw new Error('detect.json has detections');
  const detector = new Detector(
    { channels: grid.channels, cellsX: grid.width, cellsY: grid.height, pool: grid.pool, width: events.width, height: events.height },
    {
      periodUs: d.periodMs * 1000,
      traceUs: d.traceMs * 1000,
      minActivity: d.minActivity,
      minCells: d.minCells,
      mergeGap: d.mergeGap,
      minInput: d.minInput,
      minInputRelative: d.minInputRelative,
      tracker: { timeoutUs: d.tracker.timeoutMs * 1000, minHits: d.tracker.minHits, coastUs: d.tracker.coastMs * 1000, gate: d.tracker.gate, smoothing: d.tracker.smoothing },
    },
  );
  detector.events(filtered); // pixel-level box edges come from the filtered events, as in the pipeline
  return detector
    .push(detectSpikes, input$.until, filtered.t[0], input$)
    .map(detectionLines)
    .join('');
}

async function pipelineDetections(input: string): Promise<string> {
  return withOut(async (out) => {
    await runPipeline(DETECT, { input, out });
    return readFile(join(out, 'detections.ndjson'), 'utf8');
  });
}

describe('detect.json golden outputs (bundled sparklers, EVT 2.0)', () => {
  const SPARKLERS = bundled('evt2/expelliarmus_evt2_sparklers.raw');

  it('stage counts and spike-map pixels as before the speed work', async () => {
    expect(await goldenFigures(SPARKLERS)).toEqual({
      events: 521_252,
      filteredEvents: 82_980,
      inputSpikes: 82_980,
      spikes: 14_070,
      spikemaps: 10,
      mapFiles: 10,
      pixelsDigest: '26fe2579d8304bc1576f29785bf771d64d0598106abb00e3ad07c2b4',
    });
  });

  it('detections.ndjson equals the plain one-pass reference, byte for byte', async () => {
    const reference = await referenceDetections(SPARKLERS);
    expect(reference.split('\n').length).toBeGreaterThan(10);
    expect(await pipelineDetections(SPARKLERS)).toBe(reference);
  });
});

describe.skipIf(!hasShared)(`detect.json golden outputs on ../shared (${hasShared ? 'present' : NO_SHARED})`, () => {
  const STREET = sharedFile('recordings/evt3/expelliarmus_evt3_sample.raw');

  it('EVT 3.0 street sample: stage counts and spike-map pixels as before the speed work', async () => {
    expect(await goldenFigures(STREET)).toEqual({
      events: 219_596,
      filteredEvents: 218_191,
      inputSpikes: 218_191,
      spikes: 83_167,
      spikemaps: 1,
      mapFiles: 1,
      pixelsDigest: '60065bd316b2d008de07bfd0eace65739c653ff62de8c88206fa627a',
    });
  });

  it('EVT 3.0 street sample: detections.ndjson equals the plain one-pass reference', async () => {
    expect(await pipelineDetections(STREET)).toBe(await referenceDetections(STREET));
  });
});
