import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExternalError } from '../../src/errors.ts';
import { SpikeMapVideo } from '../../src/readout/spikeMapVideo.ts';
import { bundledFfmpeg, hasSystemFfmpeg } from '../../src/sources/ffmpeg.ts';

const hasFfmpeg = hasSystemFfmpeg() || bundledFfmpeg() !== undefined;

describe.skipIf(!hasFfmpeg)('SpikeMapVideo (ffmpeg; skipped when neither a system nor the npm ffmpeg is present)', () => {
  it('encodes RGB frames of an odd-sized sensor into an mp4, renamed into place on close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spikemap-video-'));
    const path = join(dir, 'maps.mp4');
    const video = new SpikeMapVideo(path, 35, 21, 30);
    const frames = Array.from({ length: 12 }, (_, k) => {
      const rgb = new Uint8Array(35 * 21 * 3);
      rgb.fill(20 * k, 0, (k + 1) * 35 * 3);
      return rgb;
    });
    await Promise.all(frames.map((f) => video.write(f)));
    expect(existsSync(path)).toBe(false);
    await video.close();
    const bytes = readFileSync(path);
    expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect(bytes.length).toBeGreaterThan(500);
  });
  it('reports a missing ffmpeg as an ExternalError', async () => {
    const video = new SpikeMapVideo(join(tmpdir(), 'never.mp4'), 4, 4, 30, '/nonexistent/ffmpeg');
    await expect(video.write(new Uint8Array(48)).then(() => video.close())).rejects.toThrow(ExternalError);
  });
});
