import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { convertVideo, registerVideo } from '../../src/cli/commands/video.ts';
import { ConfigError } from '../../src/errors.ts';
import { concatBatches, type EventBatch } from '../../src/events/eventBatch.ts';
import { writeSceneY4m, writeScenePngs } from '../../src/scenes/writeScene.ts';
import type { SceneSpec } from '../../src/scenes/sceneSpec.ts';
import { bundledFfmpeg } from '../../src/sources/ffmpeg.ts';
import { fromImageFolder } from '../../src/sources/fromImageFolder.ts';
import { fromVideo } from '../../src/sources/fromVideo.ts';
import { readAllEvents } from '../../src/sources/readAllEvents.ts';
import { REPO } from '../helpers/shared.ts';

const FFMPEG = bundledFfmpeg();
const scene: SceneSpec = {
  width: 96,
  height: 64,
  fps: 50,
  frames: 25,
  background: { kind: 'texture', level: 90, contrast: 30, cellPx: 12 },
  objects: [{ shape: 'disc', size: 18, level: 230, path: { kind: 'linear', x: 20, y: 32, vx: 80, vy: 10 } }],
};

function same(a: EventBatch, b: EventBatch): void {
  expect(a.length).toBe(b.length);
  expect(Buffer.from(a.t.buffer, a.t.byteOffset, a.t.byteLength).equals(Buffer.from(b.t.buffer, b.t.byteOffset, b.t.byteLength))).toBe(true);
  expect(Buffer.from(a.x.buffer, a.x.byteOffset, a.x.byteLength).equals(Buffer.from(b.x.buffer, b.x.byteOffset, b.x.byteLength))).toBe(true);
  expect(Buffer.from(a.y.buffer, a.y.byteOffset, a.y.byteLength).equals(Buffer.from(b.y.buffer, b.y.byteOffset, b.y.byteLength))).toBe(true);
  expect(Buffer.from(a.p).equals(Buffer.from(b.p))).toBe(true);
}

describe('spikeflow video', () => {
  let dir: string;
  let y4m: string;
  let pngs: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'spikeflow-video-cmd-'));
    y4m = join(dir, 'scene.y4m');
    pngs = join(dir, 'pngs');
    await writeSceneY4m(scene, y4m);
    await writeScenePngs(scene, pngs);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.skipIf(!FFMPEG)('writes a video as EVT3 and CSV; decoding gives back the very events of the model', async () => {
    const expected = concatBatches(await lastValueFrom(fromVideo(y4m, { seed: 5, ffmpegPath: FFMPEG }).pipe(toArray())), scene);
    expect(expected.length).toBeGreaterThan(1000);
    for (const name of ['out.evt3', 'out.csv']) {
      const out = join(dir, name);
      const summary = await convertVideo(y4m, out, { seed: 5, ffmpegPath: FFMPEG });
      expect(summary).toMatchObject({ kind: 'video', width: 96, height: 64, frames: 25, events: expected.length });
      const back = await readAllEvents(out, { width: 96, height: 64 });
      same(back.events, expected);
    }
  });

  it('writes an image folder (times from t_<µs> names) as DAT', async () => {
    const expected = concatBatches(await lastValueFrom(fromImageFolder(pngs, { seed: 2, preset: 'noisy' }).pipe(toArray())), scene);
    const out = join(dir, 'images.dat');
    const summary = await convertVideo(pngs, out, { seed: 2, preset: 'noisy' });
    expect(summary).toMatchObject({ kind: 'images', format: 'dat', frames: 25, events: expected.length });
    same((await readAllEvents(out)).events, expected);
  });

  it('--duration stops early and the file is still complete', async () => {
    const out = join(dir, 'short.csv');
    const summary = await convertVideo(pngs, out, { durationS: 0.1 });
    expect(summary.frames).toBeLessThan(10);
    expect(summary.frames).toBeGreaterThan(3);
    const back = (await readAllEvents(out, { width: 96, height: 64 })).events;
    expect(back.length).toBe(summary.events);
    expect(back.t[back.length - 1] - back.t[0]).toBeGreaterThanOrEqual(100_000);
    expect(back.t[back.length - 1] - back.t[0]).toBeLessThan(100_000 + 20_000 + 20_000);
  });

  it('rejects outputs with no writable format and event-file inputs, leaving no partial file', async () => {
    await expect(convertVideo(pngs, join(dir, 'x.unknown'))).rejects.toThrow(ConfigError);
    await expect(convertVideo(join(dir, 'in.evt3'), join(dir, 'y.csv'))).rejects.toThrow(/use spikeflow convert/);
    await expect(convertVideo(pngs, join(dir, 'z.csv'), { crop: { x: 90, y: 0, width: 50, height: 10 } })).rejects.toThrow();
    expect(readdirSync(dir).filter((n) => n.includes('partial'))).toEqual([]);
    expect(existsSync(join(dir, 'z.csv'))).toBe(false);
  });

  it.skipIf(!FFMPEG)('runs from the command line and says which ffmpeg it used', () => {
    const out = join(dir, 'cli.evt3');
    const run = spawnSync(process.execPath, [join(REPO, 'bin/spikeflow.js'), 'video', y4m, out, '--seed', '5', '--threshold', '0.3', '--width', '48'], {
      encoding: 'utf8',
      env: { ...process.env, SPIKEFLOW_FFMPEG: FFMPEG },
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^wrote \d+ events \(48x32, 25 frames, 0\.4\d\d s of video .* ffmpeg: env\) as evt3: /);
  });

  it('checks its options before starting', async () => {
    const program = new Command().exitOverride();
    registerVideo(program);
    const run = (...args: string[]) => program.parseAsync(['node', 'spikeflow', 'video', pngs, join(dir, 'o.csv'), ...args]);
    await expect(run('--preset', 'foggy')).rejects.toThrow(/--preset: "foggy" is not allowed \(clean or noisy\)/);
    await expect(run('--threshold', '0')).rejects.toThrow(/--threshold: "0" is not allowed/);
    await expect(run('--crop', '1,2,3')).rejects.toThrow(/crop: "1,2,3" is not allowed/);
    expect(existsSync(join(dir, 'o.csv'))).toBe(false);
  });
});
