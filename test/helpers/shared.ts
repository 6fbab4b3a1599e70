import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (tests run from anywhere). */
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** `../shared` beside the clone: real recordings and references that are too big or too many to bundle. */
export const SHARED = resolve(REPO, '../shared');
export const hasShared = existsSync(join(SHARED, 'recordings', 'MANIFEST.tsv'));
/** Reason printed by `describe.skipIf(!hasShared)` users so the skip is visible. */
export const NO_SHARED = `../shared is absent (${SHARED}): tests on the shared recordings are skipped`;

export function sharedFile(relative: string): string {
  return join(SHARED, relative);
}

export function bundled(relative: string): string {
  return join(REPO, 'recordings', relative);
}

/** Whether a system program runs (`program -version` or `--version` exits 0). */
export function hasProgram(program: string, versionFlag = '--version'): boolean {
  const result = spawnSync(program, [versionFlag], { stdio: 'ignore' });
  return result.status === 0;
}
