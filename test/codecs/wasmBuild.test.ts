import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/shared.ts';
import { expectCommittedWasm, hasWasmToolchain } from '../helpers/wasmRebuild.ts';

const WASM = join(REPO, 'src/codecs/kernels.wasm');
const hasToolchain = hasWasmToolchain;

describe('committed kernels.wasm', () => {
  it('has the sha256 recorded in src/codecs/README.md', () => {
    const recorded = /sha256 ([0-9a-f]{64})/.exec(readFileSync(join(REPO, 'src/codecs/README.md'), 'utf8'))?.[1];
    expect(createHash('sha256').update(readFileSync(WASM)).digest('hex')).toBe(recorded);
  });

  it.skipIf(!hasToolchain)('is what native/lz4/build.sh builds (clang + wasm-ld)', () => {
    expectCommittedWasm('lz4', 'src/codecs/kernels.wasm');
  });
  it.skipIf(hasToolchain)('rebuild check skipped: clang and wasm-ld (Debian: clang lld) are not installed', () => undefined);
});
