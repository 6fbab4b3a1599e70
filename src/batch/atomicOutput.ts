import { access, mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** The file a pipeline run writes last: its presence means the run's outputs are complete. */
export const COMPLETION_MARKER = 'summary.json';

export async function isComplete(dir: string): Promise<boolean> {
  return access(join(dir, COMPLETION_MARKER)).then(
    () => true,
    () => false,
  );
}

/**
 * Runs `produce` into a fresh sibling folder and renames it to `finalDir` only when it succeeded, so a reader
 * sees either no folder or a complete one. If another producer completed `finalDir` first, its result is kept
 * and ours is discarded (returns false): outputs exist exactly once whoever ran the job.
 */
export async function writeAtomically(finalDir: string, produce: (tmpDir: string) => Promise<void>): Promise<boolean> {
  const tmpDir = join(dirname(finalDir), `.partial-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(tmpDir, { recursive: true });
  try {
    await produce(tmpDir);
    if (await isComplete(finalDir)) return false;
    // An incomplete folder left by a run that died is replaced.
    await rm(finalDir, { recursive: true, force: true });
    await rename(tmpDir, finalDir);
    return true;
  } finally {
    await rm(tmpDir, { recursive: true, force: true });
  }
}
