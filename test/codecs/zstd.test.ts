import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CodecError } from '../../src/codecs/codecError.ts';
import { zstdDecompress, zstdStoreRaw } from '../../src/codecs/zstd.ts';
import { hasProgram } from '../helpers/shared.ts';

const hasZstd = hasProgram('zstd', '--version');
// Sizes at each Frame_Content_Size field boundary and across the 128 KiB block limit.
const SIZES = [0, 1, 255, 256, 65791, 65792, 131072, 131073, 300_000];
const data = (n: number) => new Uint8Array(n).map((_, i) => (i * 2654435761) >>> 24);

describe('zstd raw-block writer and fzstd reader', () => {
  it('round trips through fzstd at every field-size boundary', () => {
    for (const n of SIZES) {
      const frame = zstdStoreRaw(data(n));
      expect(frame.length).toBeLessThan(n + 20 + 3 * Math.ceil(n / 131072));
      expect(Buffer.compare(zstdDecompress(frame), data(n)), `${n} bytes`).toBe(0);
    }
  });

  it.skipIf(!hasZstd)('writes frames the zstd program accepts, and reads what it compresses', () => {
    for (const n of SIZES) {
      const result = spawnSync('zstd', ['-d', '-c'], { input: zstdStoreRaw(data(n)), maxBuffer: 1 << 26 });
      expect(result.status, String(result.stderr)).toBe(0);
      expect(Buffer.compare(result.stdout, data(n)), `${n} bytes`).toBe(0);
    }
    const text = new TextEncoder().encode('event camera '.repeat(10_000));
    const compressed = spawnSync('zstd', ['-c', '-19'], { input: text }).stdout;
    expect(Buffer.compare(zstdDecompress(new Uint8Array(compressed)), text)).toBe(0);
  });
  it.skipIf(hasZstd)('zstd program interop skipped: the zstd program is not installed', () => undefined);

  it('garbage gives a CodecError', () => {
    expect(() => zstdDecompress(Uint8Array.of(1, 2, 3, 4, 5, 6))).toThrow(CodecError);
  });
});
