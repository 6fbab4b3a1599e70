import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { expect } from 'vitest';
import { hasProgram, REPO } from './shared.ts';

/** clang and wasm-ld (Debian: clang lld) are installed: the committed WebAssembly modules can be rebuilt. */
export const hasWasmToolchain = hasProgram('clang') && hasProgram('wasm-ld');

/**
 * Builds `native/<area>/build.sh` into a temporary file and expects it to equal the committed module
 * (`committed`, relative to the repository) byte for byte: the .wasm in git is what its C source builds to.
 */
export function expectCommittedWasm(area: string, committed: string): void {
  const dir = mkdtempSync(join(tmpdir(), `spikeflow-${area}-wasm-`));
  try {
    const out = join(dir, basename(committed));
    const build = spawnSync('bash', [join(REPO, 'native', area, 'build.sh'), out], { encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
    expect(Buffer.compare(readFileSync(out), readFileSync(join(REPO, committed))), `rebuild and commit ${committed}`).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
