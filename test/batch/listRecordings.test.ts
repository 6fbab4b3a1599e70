import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listRecordings } from '../../src/batch/listRecordings.ts';
import { ConfigError } from '../../src/errors.ts';

describe('listRecordings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sf-list-'));
  for (const f of ['b.raw', 'a.dat', 'a.raw', 'notes.md', 'clip.mp4', '.hidden.raw']) writeFileSync(join(dir, f), '');
  mkdirSync(join(dir, 'sub.raw'));

  it('lists event and video files of a folder, sorted, with unique names', async () => {
    const list = await listRecordings(dir);
    expect(list.map((r) => [r.path.slice(dir.length + 1), r.name])).toEqual([
      ['a.dat', 'a_dat'],
      ['a.raw', 'a_raw'],
      ['b.raw', 'b'],
      ['clip.mp4', 'clip'],
    ]);
  });

  it('filters by a glob in the file name', async () => {
    const list = await listRecordings(join(dir, '*.raw'));
    expect(list.map((r) => r.name)).toEqual(['a', 'b']);
  });

  it('says what was wrong with an empty match or a missing folder', async () => {
    await expect(listRecordings(join(dir, '*.es'))).rejects.toBeInstanceOf(ConfigError);
    await expect(listRecordings(join(dir, 'nope'))).rejects.toThrow(/recordings: .*nope" is not allowed \(an existing folder/);
  });
});
