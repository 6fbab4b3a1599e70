import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExternalError } from '../../src/errors.ts';
import { concatBatches } from '../../src/events/eventBatch.ts';
import { bundledFfmpeg, hasSystemFfmpeg } from '../../src/sources/ffmpeg.ts';
import { ffmpegFrames } from '../../src/sources/ffmpegFrames.ts';
import { fromVideo, fromVideoFrames } from '../../src/sources/fromVideo.ts';

// The bundled static ffmpeg (npm @ffmpeg-installer/ffmpeg) makes these tests run everywhere npm install ran.
const FFMPEG = bundledFfmpeg();
const SYSTEM = hasSystemFfmpeg();

describe.skipIf(!FFMPEG)(`video through ffmpeg (bundled ${FFMPEG}; system ffmpeg ${SYSTEM ? 'present' : 'absent'})`, () => {
  const ffmpegPath = FFMPEG as string;
  let dir: string;
  let movingBox: string;
  const W = 160;
  const H = 120;
  /** A white 20×20 box on black whose left edge is at x = 10 + 60·t px (t in s), 30 fps, 2 s. */
  const boxLeft = (tUs: number) => 10 + (60 * tUs) / 1e6;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'spikeflow-video-'));
    movingBox = join(dir, 'box.mp4');
    execFileSync(ffmpegPath, [
      '-hide_banner', '-loglevel', 'error',
      '-f', 'lavfi', '-i', `color=c=black:s=${W}x${H}:r=30:d=2`,
      '-f', 'lavfi', '-i', 'color=c=white:s=20x20:r=30:d=2',
      '-filter_complex', "[0][1]overlay=x='10+60*t':y=50",
      '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-crf', '10', movingBox,
    ]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('decodes every frame with its presentation time, starting at 0 µs', async () => {
    const frames = await lastValueFrom(fromVideoFrames(movingBox, { ffmpegPath }).pipe(toArray()));
    expect(frames.length).toBe(60);
    expect(frames.map((f) => f.t).slice(0, 4)).toEqual([0, 33_333, 66_667, 100_000]);
    expect(frames[59].t).toBe(1_966_667);
    expect(frames[0].width).toBe(W);
    expect(frames[0].height).toBe(H);
    // The box is where the overlay put it: bright at its centre, dark outside.
    const f = frames[30];
    const cx = Math.round(boxLeft(f.t) + 10);
    expect(f.data[60 * W + cx]).toBeGreaterThan(230);
    expect(f.data[60 * W + cx + 30]).toBeLessThan(25);
  });

  it.skipIf(!SYSTEM)('the system ffmpeg (when present) gives the same frames and times as the bundled one', async () => {
    const bundled = await lastValueFrom(fromVideoFrames(movingBox, { ffmpegPath, fps: 20 }).pipe(toArray()));
    const system = await lastValueFrom(fromVideoFrames(movingBox, { ffmpegPath: 'ffmpeg', fps: 20 }).pipe(toArray()));
    expect(bundled.length).toBe(40);
    expect(system.map((f) => f.t)).toEqual(bundled.map((f) => f.t));
    expect(system[10].data[60 * W + Math.round(boxLeft(system[10].t) + 10)]).toBeGreaterThan(230);
  });

  it('resizes and crops', async () => {
    const small = await firstValueFrom(fromVideoFrames(movingBox, { ffmpegPath, width: 80 }));
    expect([small.width, small.height]).toEqual([80, 60]);
    const region = await firstValueFrom(fromVideoFrames(movingBox, { ffmpegPath, crop: { x: 0, y: 40, width: 64, height: 40 } }));
    expect([region.width, region.height]).toEqual([64, 40]);
    // Box at x 10..30, y 50..70 in the full frame: at (20, 20) in the crop.
    expect(region.data[20 * 64 + 20]).toBeGreaterThan(230);
    expect(region.data[5 * 64 + 20]).toBeLessThan(25);
  });

  it("events follow the moving box: their centroid tracks the box's centre", async () => {
    const batches = await lastValueFrom(fromVideo(movingBox, { ffmpegPath, seed: 1 }).pipe(toArray()));
    const events = concatBatches(batches, { width: W, height: H });
    expect(events.width).toBe(W);
    expect(events.length).toBeGreaterThan(2000);
    for (let j = 1; j < events.length; j++) if (events.t[j] < events.t[j - 1]) throw new Error(`t decreases at ${j}`);
    // Per 250 ms window: mean x near the box centre, mean y near 60, ON events ahead of OFF events.
    for (let w0 = 250_000; w0 < 1_750_000; w0 += 250_000) {
      let n = 0, sx = 0, sy = 0, onX = 0, on = 0, offX = 0, off = 0;
      for (let j = 0; j < events.length; j++) {
        if (events.t[j] < w0 || events.t[j] >= w0 + 250_000) continue;
        n++;
        sx += events.x[j];
        sy += events.y[j];
        if (events.p[j]) { on++; onX += events.x[j]; } else { off++; offX += events.x[j]; }
      }
      const centre = boxLeft(w0 + 125_000) + 10;
      expect(n).toBeGreaterThan(100);
      expect(Math.abs(sx / n - centre)).toBeLessThan(4);
      expect(Math.abs(sy / n - 60)).toBeLessThan(3);
      expect(onX / on).toBeGreaterThan(offX / off + 10);
    }
  });

  it('unsubscribing kills ffmpeg (an endless lavfi source)', async () => {
    let pid: number | undefined;
    const frames = await lastValueFrom(
      ffmpegFrames({
        inputArgs: ['-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=1000'],
        label: 'testsrc',
        options: {},
        ffmpegPath,
        onSpawn: (p) => (pid = p),
      }).pipe(take(3), toArray()),
    );
    expect(frames.length).toBe(3);
    expect(frames.map((f) => f.t)).toEqual([0, 1000, 2000]);
    expect(pid).toBeGreaterThan(0);
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && isAlive(pid as number)) await new Promise((r) => setTimeout(r, 20));
    expect(isAlive(pid as number)).toBe(false);
  });

  it('a corrupt video ends with an ExternalError carrying ffmpeg\'s message, not a hang', async () => {
    const corrupt = join(dir, 'corrupt.mp4');
    const bytes = new Uint8Array(50_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) & 0xff;
    writeFileSync(corrupt, bytes);
    const error = await lastValueFrom(fromVideo(corrupt, { ffmpegPath })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExternalError);
    expect((error as Error).message).toMatch(/corrupt\.mp4.*(exit code|no video frames)/s);
    expect((error as Error).message).toMatch(/Invalid data|could not find|moov atom/i);
  });

  it('a missing file or a missing ffmpeg binary is an ExternalError', async () => {
    await expect(lastValueFrom(fromVideoFrames(join(dir, 'nope.mp4'), { ffmpegPath }))).rejects.toThrow(/No such file/);
    await expect(lastValueFrom(fromVideoFrames(movingBox, { ffmpegPath: join(dir, 'no-ffmpeg') }))).rejects.toThrow(ExternalError);
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
