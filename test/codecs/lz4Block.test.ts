import { describe, expect, it } from 'vitest';
import { decodeLz4Block, WILD_COPY_SLACK } from '../../src/codecs/lz4Block.ts';
import { seededRandom } from '../formats/aedat-common/decodeChunks.ts';
import { randomBlock } from './randomLz4Block.ts';

describe('LZ4 block decoder on random valid sequences', () => {
  it('decodes 3000 random blocks exactly (fast path, exits and the checked path)', () => {
    const random = seededRandom(2024);
    for (let i = 0; i < 3000; i++) {
      const { block, expected } = randomBlock(random);
      const padded = new Uint8Array(block.length + 5);
      padded.set(block, 2); // not at offset 0, with bytes after the block that must not be read as part of it
      const dst = new Uint8Array(expected.length + 64 + WILD_COPY_SLACK);
      const end = decodeLz4Block(padded, new DataView(padded.buffer), 2, 2 + block.length, dst, new DataView(dst.buffer), 32, 32 + expected.length, 32);
      expect(end - 32, `block ${i}`).toBe(expected.length);
      expect(Buffer.compare(dst.subarray(32, end), expected), `block ${i}`).toBe(0);
    }
  });

  it('refuses a match reaching before the window and output beyond the limit', () => {
    const block = Uint8Array.of(0x10, 65, 2, 0, 0x00); // 1 literal, then a match at offset 2
    const dst = new Uint8Array(64);
    expect(() => decodeLz4Block(block, new DataView(block.buffer), 0, block.length, dst, new DataView(dst.buffer), 0, 40, 0)).toThrow(/offset 2 reaches before/);
    const long = Uint8Array.of(0x1f, 65, 1, 0, 200, 0x00);
    expect(() => decodeLz4Block(long, new DataView(long.buffer), 0, long.length, dst, new DataView(dst.buffer), 0, 40, 0)).toThrow(/more than its maximum size/);
  });
});
