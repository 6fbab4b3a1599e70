import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasProgram, REPO } from '../helpers/shared.ts';

const WASM = join(REPO, 'src/codecs/kernels.wasm');
const hasToolchain = hasProgram('clang') && hasProgram('wasm-ld');

describe('committed kernels.wasm', () => {
  it('has the sha256 recorded in src/codecs/README.md', () => {
    const recorded = /sha256 ([0-9a-f]{64})/.exec(readFileSync(join(REPO, 'src/codecs/README.md'), 'utf8'))?.[1];
    expect(createHash('sha256').update(readFileSync(WASM)).digest('hex')).toBe(recorded);
  });

  it.skipIf(!hasToolchain)('is what native/lz4/build.sh builds (clang + wasm-ld)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spikeflow-wasm-'));
    try {
      const out = join(dir, 'kernels.wasm');
      const result = spawnSync('bash', [join(REPO, 'native/lz4/build.sh'), out], { encoding: 'utf8' });
      expect(result.status, result.stderr).toBe(0);
      expect(Buffer.compare(readFileSync(out), readFileSync(WASM)), 'rebuild native/ and commit src/codecs/kernels.wasm').toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it.skipIf(hasToolchain)('rebuild check skipped: clang and wasm-ld (Debian: clang lld) are not installed', () => undefined);
});
