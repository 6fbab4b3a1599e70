import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledFfmpeg } from '../../src/sources/ffmpeg.ts';
import { ffmpegFrameIterator } from '../../src/sources/ffmpegFrames.ts';
import { fromVideo, videoEventBatches } from '../../src/sources/fromVideo.ts';

const FFMPEG = bundledFfmpeg();
const isAlive = (pid: number | undefined) => {
  try {
    process.kill(pid!, 0);
    return true;
  } catch {
    return false;
  }
};

describe.skipIf(!FFMPEG)('video files are pull-paced (a cold source)', () => {
  const ffmpegPath = FFMPEG as string;
  let dir: string;
  let clip: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'spikeflow-pull-'));
    clip = join(dir, 'clip.mp4');
    // 400 frames: more than any queue in the pipeline would hold, so a dropped frame would show.
    execFileSync(ffmpegPath, ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=100:duration=4', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', clip]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a consumer slower than ffmpeg still gets every frame and the same events', async () => {
    const reference = await lastValueFrom(fromVideo(clip, { ffmpegPath, seed: 3 }).pipe(toArray()));
    expect(reference).toHaveLength(400);
    let frames = 0;
    let events = 0;
    for await (const batch of videoEventBatches(clip, { ffmpegPath, seed: 3 })) {
      if (frames % 50 === 0) await new Promise((r) => setTimeout(r, 20)); // a slow pipeline stage
      expect(batch.length).toBe(reference[frames]!.length);
      events += batch.length;
      frames++;
    }
    expect(frames).toBe(400);
    expect(events).toBe(reference.reduce((n, b) => n + b.length, 0));
    expect(events).toBeGreaterThan(0);
  });

  it('leaving the loop early kills ffmpeg', async () => {
    let pid: number | undefined;
    const frames = ffmpegFrameIterator({ inputArgs: ['-i', clip], label: clip, options: {}, ffmpegPath, onSpawn: (p) => (pid = p) });
    let n = 0;
    for await (const _frame of frames) if (++n === 3) break;
    await new Promise((r) => setTimeout(r, 200));
    expect(pid).toBeDefined();
    expect(isAlive(pid)).toBe(false);
  });
});
