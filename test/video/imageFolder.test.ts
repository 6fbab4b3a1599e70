import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, DecodeError } from '../../src/errors.ts';
import { concatBatches } from '../../src/events/eventBatch.ts';
import { fromImageFolder, fromImageFolderFrames } from '../../src/sources/fromImageFolder.ts';

const W = 48;
const H = 32;

/** RGB image: dark grey with a bright 8×8 square whose left edge is at `x`. */
async function writeImage(path: string, x: number): Promise<void> {
  const rgb = Buffer.alloc(W * H * 3, 30);
  for (let y = 12; y < 20; y++) for (let i = x; i < x + 8; i++) rgb.fill(200, (y * W + i) * 3, (y * W + i) * 3 + 3);
  await sharp(rgb, { raw: { width: W, height: H, channels: 3 } }).png().toFile(path);
}

describe('fromImageFolder', () => {
  let root: string;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'spikeflow-images-'));
    mkdirSync(join(root, 'plain'));
    mkdirSync(join(root, 'named'));
    mkdirSync(join(root, 'listed'));
    for (let n = 0; n < 12; n++) {
      // img2 must come before img10 (natural order).
      await writeImage(join(root, 'plain', `img${n}.png`), 4 + 3 * n);
      await writeImage(join(root, 'named', `t_${1000 + n * 5000}.png`), 4 + 3 * n);
    }
    await writeImage(join(root, 'listed', 'b.png'), 10);
    await writeImage(join(root, 'listed', 'a.png'), 4);
    writeFileSync(join(root, 'listed', 'timestamps.txt'), '# name t_us\na.png 100\nb.png 250\n');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('decodes images in natural order as luma, timed by --fps from 0', async () => {
    const frames = await lastValueFrom(fromImageFolderFrames(join(root, 'plain'), { fps: 20 }).pipe(toArray()));
    expect(frames.length).toBe(12);
    expect(frames.map((f) => f.t).slice(0, 3)).toEqual([0, 50_000, 100_000]);
    expect([frames[0].width, frames[0].height]).toEqual([W, H]);
    // Grey 200 (colour converted to luma), square moving 3 px per frame: frame 10's square starts at x = 34.
    expect(frames[10].data[15 * W + 34]).toBe(200);
    expect(frames[10].data[15 * W + 33]).toBe(30);
  });

  it('takes times from t_<µs> names or from timestamps.txt', async () => {
    const named = await lastValueFrom(fromImageFolderFrames(join(root, 'named')).pipe(toArray()));
    expect(named.map((f) => f.t)).toEqual(Array.from({ length: 12 }, (_, n) => 1000 + n * 5000));
    const listed = await lastValueFrom(fromImageFolderFrames(join(root, 'listed')).pipe(toArray()));
    expect(listed.map((f) => f.t)).toEqual([100, 250]);
    expect(listed[0].data[15 * W + 4]).toBe(200);
  });

  it('resizes and crops', async () => {
    const small = await lastValueFrom(fromImageFolderFrames(join(root, 'plain'), { fps: 10, width: 24, height: 16 }).pipe(toArray()));
    expect([small[0].width, small[0].height]).toEqual([24, 16]);
    const crop = await lastValueFrom(
      fromImageFolderFrames(join(root, 'plain'), { fps: 10, crop: { x: 4, y: 12, width: 8, height: 8 } }).pipe(toArray()),
    );
    expect([crop[0].width, crop[0].height]).toEqual([8, 8]);
    expect(Array.from(crop[0].data).every((v) => v === 200)).toBe(true);
  });

  it('events follow the moving square (ON at its leading edge, OFF at its trailing edge)', async () => {
    const batches = await lastValueFrom(fromImageFolder(join(root, 'plain'), { fps: 30, thresholdSigma: 0 }).pipe(toArray()));
    const events = concatBatches(batches, { width: W, height: H });
    // Each frame: 3 columns × 8 rows light up and 3 × 8 darken, each by ln(200/30)/0.2 → 9 events.
    expect(events.length).toBe(11 * 2 * 3 * 8 * 9);
    let bad = 0;
    for (let j = 0; j < events.length; j++) {
      // The interval ending at frame f holds times in (t(f-1), t(f)]; a crossing may land exactly on t(f).
      const frame = Math.ceil(events.t[j] / (1e6 / 30) - 1e-3);
      const left = 4 + 3 * frame;
      const expected = events.p[j] ? events.x[j] >= left + 5 && events.x[j] < left + 8 : events.x[j] >= left - 3 && events.x[j] < left;
      if (!expected || events.y[j] < 12 || events.y[j] >= 20) bad++;
    }
    expect(bad).toBe(0);
  });

  it('errors: no times, missing folder, empty folder, undecodable image', async () => {
    await expect(lastValueFrom(fromImageFolderFrames(join(root, 'plain')))).rejects.toThrow(ConfigError);
    await expect(lastValueFrom(fromImageFolderFrames(join(root, 'missing')))).rejects.toThrow(DecodeError);
    mkdirSync(join(root, 'empty'));
    await expect(lastValueFrom(fromImageFolderFrames(join(root, 'empty'), { fps: 1 }))).rejects.toThrow(/no images/);
    mkdirSync(join(root, 'broken'));
    writeFileSync(join(root, 'broken', 'x.png'), 'not a png');
    await expect(lastValueFrom(fromImageFolderFrames(join(root, 'broken'), { fps: 1 }))).rejects.toThrow(/x\.png: at byte 0: cannot decode/);
  });
});
