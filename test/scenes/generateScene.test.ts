import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.ts';
import { concatBatches } from '../../src/events/eventBatch.ts';
import { fromScene, fromSceneFrames } from '../../src/scenes/fromScene.ts';
import { generateScene } from '../../src/scenes/generateScene.ts';
import type { SceneSpec } from '../../src/scenes/sceneSpec.ts';
import { writeSceneY4m, writeScenePngs } from '../../src/scenes/writeScene.ts';
import { bundledFfmpeg } from '../../src/sources/ffmpeg.ts';
import { fromImageFolderFrames } from '../../src/sources/fromImageFolder.ts';
import { fromVideoFrames } from '../../src/sources/fromVideo.ts';

const square: SceneSpec = {
  width: 120,
  height: 80,
  fps: 100,
  frames: 50,
  background: { kind: 'flat', level: 40 },
  objects: [{ shape: 'square', size: 20, level: 220, path: { kind: 'linear', x: 30, y: 40, vx: 100, vy: 0 } }],
};

describe('generateScene', () => {
  it('moves a square along its path, with exact ground-truth boxes and pixels', () => {
    const scene = generateScene(square);
    expect(scene.frameCount).toBe(50);
    expect(scene.frameTime(10)).toBe(100_000);
    // t = 0.1 s: centre x = 30 + 10 = 40.
    expect(scene.truth(10)).toEqual([{ id: 0, x: 30, y: 30, w: 20, h: 20 }]);
    const f = scene.frame(10);
    expect(f.t).toBe(100_000);
    expect(f.data[40 * 120 + 30]).toBe(220);
    expect(f.data[40 * 120 + 49]).toBe(220);
    expect(f.data[40 * 120 + 50]).toBe(40);
    expect(f.data[29 * 120 + 40]).toBe(40);
    // A half-pixel position blends half and half: at 50 px/s, frame 1's square starts at x = 20.5.
    const slow = generateScene({ ...square, objects: [{ ...square.objects[0], path: { kind: 'linear', x: 30, y: 40, vx: 50, vy: 0 } }] });
    expect(slow.frame(1).data[40 * 120 + 20]).toBe(130);
    expect(slow.frame(1).data[40 * 120 + 21]).toBe(220);
    expect(scene.truthAt(104_000)).toEqual(scene.truth(10));
    expect(scene.truthAt(-1)).toEqual([]);
  });

  it('clips boxes at the frame edge, drops objects outside or absent', () => {
    const scene = generateScene({
      ...square,
      objects: [
        { shape: 'disc', size: 20, level: 200, path: { kind: 'linear', x: 5, y: 40, vx: -100, vy: 0 } },
        { shape: 'bar', size: 30, orientation: 'vertical', level: 0, startS: 0.1, endS: 0.2, path: { kind: 'waypoints', points: [[0, 60, 40], [0.2, 80, 40]] } },
      ],
    });
    expect(scene.truth(0)).toEqual([{ id: 0, x: 0, y: 30, w: 15, h: 20 }]);
    expect(scene.truth(20)).toEqual([]); // disc gone left, bar not yet at 0.2 s (endS)
    expect(scene.truth(15)).toEqual([{ id: 1, x: 75 - 3, y: 25, w: 6, h: 30 }]);
    expect(scene.truth(9).map((b) => b.id)).toEqual([0]); // bar starts at 0.1 s
  });

  it('bouncing paths stay inside; circles come back after a period', () => {
    const scene = generateScene({
      ...square,
      frames: 400,
      objects: [
        { shape: 'square', size: 10, level: 200, path: { kind: 'linear', x: 20, y: 20, vx: 333, vy: 170, bounce: true } },
        { shape: 'disc', size: 8, level: 200, path: { kind: 'circle', cx: 60, cy: 40, radius: 20, periodS: 1 } },
      ],
    });
    for (let n = 0; n < 400; n++) {
      const [box] = scene.truth(n);
      expect(box.w).toBeCloseTo(10, 9);
      expect(box.h).toBeCloseTo(10, 9);
    }
    expect(scene.truth(100)[1].x).toBeCloseTo(scene.truth(0)[1].x, 9);
    expect(scene.truth(100)[1].y).toBeCloseTo(scene.truth(0)[1].y, 9);
    for (let n = 0; n < 400; n++) {
      const [box] = scene.truth(n);
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.w).toBeLessThanOrEqual(120 + 1e-9);
      expect(box.y + box.h).toBeLessThanOrEqual(80 + 1e-9);
    }
    expect(scene.truth(25)[1].x).toBeCloseTo(56, 9);
  });

  it('is deterministic for a seed: texture and noise', () => {
    const spec: SceneSpec = { ...square, seed: 3, noiseSigma: 4, background: { kind: 'texture', level: 100, contrast: 40, cellPx: 10 } };
    const a = generateScene(spec).frame(7).data;
    const b = generateScene(spec).frame(7).data;
    const c = generateScene({ ...spec, seed: 4 }).frame(7).data;
    expect(Buffer.from(b).equals(Buffer.from(a))).toBe(true);
    expect(Buffer.from(c).equals(Buffer.from(a))).toBe(false);
    // Noise: frame-to-frame differences away from the square have σ ≈ 4·√2.
    const f0 = generateScene(spec).frame(0).data;
    const f1 = generateScene(spec).frame(1).data;
    let sq = 0;
    let n = 0;
    for (let y = 0; y < 20; y++) for (let x = 0; x < 120; x++) {
      const d = f1[y * 120 + x] - f0[y * 120 + x];
      sq += d * d;
      n++;
    }
    expect(Math.sqrt(sq / n)).toBeGreaterThan(5);
    expect(Math.sqrt(sq / n)).toBeLessThan(6.5);
    const clean = generateScene({ ...spec, noiseSigma: 0 }).frame(0).data;
    expect(Math.max(...clean) - Math.min(...clean)).toBeGreaterThan(40); // textured, not flat
  });

  it('rejects bad specs naming the key', () => {
    expect(() => generateScene({ ...square, fps: 0 })).toThrow(ConfigError);
    expect(() => generateScene({ ...square, objects: [{ ...square.objects[0], size: -1 }] })).toThrow(/objects\[0\]\.size/);
    expect(() => generateScene({ ...square, objects: [{ ...square.objects[0], path: { kind: 'zigzag' } as never }] })).toThrow(/path\.kind/);
  });
});

describe('scenes as sources', () => {
  it("fromScene's events lie on the moving square's edges", async () => {
    const scene = generateScene(square);
    const events = concatBatches(await lastValueFrom(fromScene(square, { seed: 1 }).pipe(toArray())), square);
    expect(events.length).toBeGreaterThan(3000);
    let outside = 0;
    for (let j = 0; j < events.length; j++) {
      const [box] = scene.truthAt(events.t[j]);
      const inX = events.x[j] >= box.x - 2 && events.x[j] < box.x + box.w + 2;
      const inY = events.y[j] >= box.y - 1 && events.y[j] < box.y + box.h + 1;
      if (!inX || !inY) outside++;
    }
    expect(outside).toBe(0);
    const frames = await lastValueFrom(fromSceneFrames(square).pipe(toArray()));
    expect(frames.length).toBe(50);
  });

  describe('written to disk', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'spikeflow-scene-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('as PNGs with truth.ndjson, read back by the image-folder source', async () => {
      const spec = { ...square, frames: 8 };
      await writeScenePngs(spec, join(dir, 'pngs'));
      const frames = await lastValueFrom(fromImageFolderFrames(join(dir, 'pngs')).pipe(toArray()));
      const scene = generateScene(spec);
      expect(frames.map((f) => f.t)).toEqual([0, 10_000, 20_000, 30_000, 40_000, 50_000, 60_000, 70_000]);
      expect(Buffer.from(frames[5].data).equals(Buffer.from(scene.frame(5).data))).toBe(true);
      const truth = readFileSync(join(dir, 'pngs', 'truth.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(truth[3]).toEqual({ frame: 3, t: 30_000, boxes: scene.truth(3) });
    });

    it.skipIf(!bundledFfmpeg())('as y4m, read back by ffmpeg unchanged', async () => {
      const spec = { ...square, frames: 10 };
      const path = join(dir, 'scene.y4m');
      await writeSceneY4m(spec, path);
      const frames = await lastValueFrom(fromVideoFrames(path, { ffmpegPath: bundledFfmpeg() }).pipe(toArray()));
      const scene = generateScene(spec);
      expect(frames.length).toBe(10);
      expect(frames[9].t).toBe(90_000);
      expect(Buffer.from(frames[7].data).equals(Buffer.from(scene.frame(7).data))).toBe(true);
    });
  });
});
