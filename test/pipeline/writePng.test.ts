import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { encodePng, writePng } from '../../src/readout/writePng.ts';

describe('encodePng / writePng (spike-map PNGs without sharp)', () => {
  it('sharp (libvips) decodes exactly the RGB pixels written, for odd sizes and random bytes', async () => {
    let seed = 11;
    for (const [width, height] of [
      [1, 1],
      [5, 3],
      [641, 97],
    ]) {
      const rgb = Uint8Array.from({ length: width * height * 3 }, () => (seed = (seed * 48271) % 2147483647) & 255);
      const png = await encodePng(rgb, width, height);
      const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height, info.channels, info.format]).toEqual([width, height, 3, 'raw']);
      expect(Buffer.compare(data, Buffer.from(rgb))).toBe(0);
    }
  });

  it('rows that repeat the row above (filter Up) decode exactly, also in a scanline buffer used before', async () => {
    const [width, height] = [37, 24];
    let seed = 5;
    const noise = Uint8Array.from({ length: width * height * 3 }, () => (seed = (seed * 48271) % 2147483647) & 255);
    // Blocks of 4 equal rows, one row differing from the one above in its last byte only, and a last row of noise.
    const blocks = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) blocks.set(noise.subarray((y >> 2) * width * 3, ((y >> 2) + 1) * width * 3), y * width * 3);
    blocks[10 * width * 3 - 1] ^= 1;
    blocks.set(noise.subarray(0, width * 3), (height - 1) * width * 3);
    const plain = await encodePng(noise, width, height); // leaves its scanline buffer for the next image
    const png = await encodePng(blocks, width, height);
    for (const [bytes, pixels] of [[plain, noise], [png, blocks]] as const) {
      const { data } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
      expect(Buffer.compare(data, Buffer.from(pixels))).toBe(0);
    }
    expect(png.length).toBeLessThan(plain.length / 2);
  });

  it('refuses a buffer too short for the image; writePng leaves only the complete file', async () => {
    await expect(encodePng(new Uint8Array(10), 4, 4)).rejects.toThrow(/10 bytes for a 4×4 RGB image/);
    const dir = await mkdtemp(join(tmpdir(), 'spikeflow-png-'));
    try {
      await writePng(join(dir, 'a.png'), new Uint8Array(2 * 2 * 3).fill(200), 2, 2);
      expect(await readdir(dir)).toEqual(['a.png']);
      const { data } = await sharp(join(dir, 'a.png')).raw().toBuffer({ resolveWithObject: true });
      expect(Array.from(data)).toEqual(new Array(12).fill(200));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
