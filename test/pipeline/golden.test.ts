import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../src/pipeline/runPipeline.ts';
import { bundled, hasShared, NO_SHARED, REPO, sharedFile } from '../helpers/shared.ts';

/**
 * Golden outputs of `run pipelines/detect.json`, recorded before the pipeline's speed work: the speed work must
 * not change what a run writes. Spike maps are compared by their decoded pixels (not the PNG bytes), so a change
 * of PNG compression settings alone does not trip the test, while any changed pixel does. A deliberate change of
 * the detector, the network or the filters changes these digests too: update them in that commit and say why.
 */
async function goldenRun(input: string): Promise<Record<string, unknown>> {
  const out = await mkdtemp(join(tmpdir(), 'spikeflow-golden-'));
  try {
    const s = await runPipeline(join(REPO, 'pipelines/detect.json'), { input, out });
    const detections = createHash('sha3-224')
      .update(await readFile(join(out, 'detections.ndjson')))
      .digest('hex');
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
      detections: s.detections,
      tracks: s.tracks,
      spikemaps: s.spikemaps,
      mapFiles: maps.length,
      detectionsDigest: detections,
      pixelsDigest: pixels.digest('hex'),
    };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

describe('detect.json golden outputs', () => {
  it('bundled sparklers (EVT 2.0): counts, detections.ndjson digest, spike-map pixels', async () => {
    expect(await goldenRun(bundled('evt2/expelliarmus_evt2_sparklers.raw'))).toEqual({
      events: 521_252,
      filteredEvents: 82_980,
      inputSpikes: 82_980,
      spikes: 14_070,
      detections: 80,
      tracks: 20,
      spikemaps: 10,
      mapFiles: 10,
      detectionsDigest: 'e059dc87c6d125c77542368dbba8e07d4c8c1f1767bb808bf599d122',
      pixelsDigest: 'a01d9d17bdd75a47884eb49a9c5fd2533f58a533e0cf37651c7d03d3',
    });
  });
});

describe.skipIf(!hasShared)(`detect.json golden outputs on ../shared (${hasShared ? 'present' : NO_SHARED})`, () => {
  it('EVT 3.0 street sample: counts, detections.ndjson digest, spike-map pixels', async () => {
    expect(await goldenRun(sharedFile('recordings/evt3/expelliarmus_evt3_sample.raw'))).toEqual({
      events: 219_596,
      filteredEvents: 218_191,
      inputSpikes: 218_191,
      spikes: 83_167,
      detections: 0,
      tracks: 0,
      spikemaps: 1,
      mapFiles: 1,
      detectionsDigest: '6b4e03423667dbb73b6e15454f0eb1abd4597f9a1b078e3f5b5a6bc7',
      pixelsDigest: '60065bd316b2d008de07bfd0eace65739c653ff62de8c88206fa627a',
    });
  });
});
