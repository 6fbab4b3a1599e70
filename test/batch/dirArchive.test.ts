import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packDirectory, unpackDirectory } from '../../src/batch/dirArchive.ts';
import { DecodeError } from '../../src/errors.ts';

describe('dirArchive', () => {
  it('round-trips nested files byte for byte', async () => {
    const src = mkdtempSync(join(tmpdir(), 'sf-arch-'));
    mkdirSync(join(src, 'spikemaps'));
    writeFileSync(join(src, 'detections.ndjson'), '{"t":1}\n');
    writeFileSync(join(src, 'spikemaps', 'a.png'), Buffer.from([0, 1, 2, 255]));
    writeFileSync(join(src, 'empty'), '');
    const archive = await packDirectory(src);
    const dst = mkdtempSync(join(tmpdir(), 'sf-arch-'));
    await unpackDirectory(archive, dst);
    expect(readFileSync(join(dst, 'detections.ndjson'), 'utf8')).toBe('{"t":1}\n');
    expect([...readFileSync(join(dst, 'spikemaps', 'a.png'))]).toEqual([0, 1, 2, 255]);
    expect(readFileSync(join(dst, 'empty')).length).toBe(0);
  });

  it('refuses entries that would leave the target folder', async () => {
    const head = Buffer.from(JSON.stringify([{ path: '../evil', size: 1 }]));
    const archive = Buffer.concat([Buffer.from([head.length, 0, 0, 0]), head, Buffer.from('x')]);
    await expect(unpackDirectory(archive, mkdtempSync(join(tmpdir(), 'sf-arch-')), 'job 3')).rejects.toThrow(/job 3: at byte 4: entry "..\/evil" leaves the folder/);
  });

  it('names the offset of a truncated archive', async () => {
    const head = Buffer.from(JSON.stringify([{ path: 'a', size: 10 }]));
    const archive = Buffer.concat([Buffer.from([head.length, 0, 0, 0]), head, Buffer.from('abc')]);
    const error = await unpackDirectory(archive, mkdtempSync(join(tmpdir(), 'sf-arch-'))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DecodeError);
    expect((error as DecodeError).offset).toBe(4 + head.length);
  });
});
