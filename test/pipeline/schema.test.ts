import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.ts';
import { checkPipeline, loadPipeline } from '../../src/pipeline/loadPipeline.ts';
import { insideOut } from '../../src/pipeline/outputs.ts';
import { existsSync } from 'node:fs';
import { REPO } from '../helpers/shared.ts';

const source = { type: 'file', path: 'x.raw' };

function configError(json: unknown): ConfigError {
  try {
    checkPipeline(json, '/base');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('pipeline schema', () => {
  it('fills defaults and resolves relative paths against the pipeline file', () => {
    const spec = checkPipeline({ source }, '/base/pipelines');
    expect(spec.source).toEqual({ type: 'file', path: '/base/pipelines/x.raw', format: undefined, width: undefined, height: undefined });
    expect(spec.encoder).toEqual({ pool: 4, polarity: 'separate' });
    expect(spec.network.type).toBe('dotie');
    expect(spec.readout.detections && spec.readout.detections.periodMs).toBe(10);
    expect(spec.filters).toEqual([]);
  });
  it('names the key path, the value and what is allowed', () => {
    const e = configError({ source, encoder: { pool: 0 } });
    expect([e.parameter, e.value, e.allowed]).toEqual(['encoder.pool', 0, 'an integer in 1..256']);
    expect(configError({ source, readout: { spikemaps: { colormap: 'jet' } } }).message).toBe(
      'readout.spikemaps.colormap: "jet" is not allowed (one of "gray", "hot", "viridis", "onoff")',
    );
    expect(configError({ source, readout: { detections: { tracker: { minHits: 1.5 } } } }).parameter).toBe(
      'readout.detections.tracker.minHits',
    );
    expect(configError({ source: { type: 'tape', path: 'a' } }).parameter).toBe('source.type');
    expect(configError({ filters: [] }).message).toMatch(/^source: undefined is not allowed \(a required key: an object\)/);
    expect(configError({ source, filters: [{ type: 'refractory' }, { periodUs: 3 }] }).parameter).toBe('filters[1].type');
  });
  it('refuses unknown keys and lists the known ones', () => {
    const e = configError({ source, encoder: { pool: 4, polarty: 'merged' } });
    expect(e.parameter).toBe('encoder.polarty');
    expect(e.allowed).toBe('a known key: pool, polarity');
    expect(configError({ source, script: 'rm -rf /' }).allowed).toMatch(/^a known key: description, source, filters/);
  });
  it('reports a file that is not JSON', async () => {
    await expect(loadPipeline(join(REPO, 'package-lock.json.missing'))).rejects.toThrow(/^pipeline: .*a readable pipeline file/);
    await expect(loadPipeline(join(REPO, 'README.md'))).rejects.toThrow(ConfigError);
  });
  it('every shipped pipeline is valid and its default source is bundled', async () => {
    const files = readdirSync(join(REPO, 'pipelines')).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual(expect.arrayContaining(['convert.json', 'denoise.json', 'detect.json', 'spikemaps.json', 'stream-udp.json']));
    for (const file of files) {
      const { spec } = await loadPipeline(join(REPO, 'pipelines', file));
      expect('path' in spec.source && existsSync(spec.source.path), `${file}: source exists`).toBe(true);
    }
  });
});

describe('outputs stay under --out', () => {
  it('resolves names inside the output directory', () => {
    expect(insideOut('/out/run', 'maps/a.mp4', 'k')).toBe('/out/run/maps/a.mp4');
  });
  it('refuses paths that leave it', () => {
    for (const bad of ['../a.mp4', '/etc/passwd', 'maps/../../a.mp4', '.', '..']) {
      expect(() => insideOut('/out/run', bad, 'readout.spikemaps.video'), bad).toThrow(/^readout\.spikemaps\.video: .*inside the output directory/);
    }
  });
});
