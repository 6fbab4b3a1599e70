import { join, resolve } from 'node:path';
import { isComplete } from './atomicOutput.ts';
import type { Recording } from './listRecordings.ts';
import type { BatchProgress, BatchSummary } from './localBatch.ts';

/** A recording whose outputs are not complete yet, with the folder they go to. */
export interface PendingRecording {
  readonly index: number;
  readonly recording: Recording;
  readonly out: string;
}

/**
 * A batch's bookkeeping, shared by local and broker runs: which recordings still need a run (complete outputs
 * are skipped, so an interrupted batch resumes), what finished or failed, and the progress callback.
 */
export class BatchTally {
  private done: number;
  private readonly failures: { name: string; error: string }[] = [];
  private readonly started = performance.now();

  private constructor(
    private readonly total: number,
    private readonly skipped: number,
    private readonly onProgress: ((progress: BatchProgress) => void) | undefined,
  ) {
    this.done = skipped;
    this.report();
  }

  static async open(
    recordings: readonly Recording[],
    outDir: string,
    onProgress?: (progress: BatchProgress) => void,
  ): Promise<{ tally: BatchTally; pending: PendingRecording[] }> {
    const pending: PendingRecording[] = [];
    for (const [index, recording] of recordings.entries()) {
      const out = join(resolve(outDir), recording.name);
      if (!(await isComplete(out))) pending.push({ index, recording, out });
    }
    return { tally: new BatchTally(recordings.length, recordings.length - pending.length, onProgress), pending };
  }

  /** One recording ended: with `error` when it failed. */
  finished(name: string, error?: string): void {
    this.done++;
    if (error !== undefined) this.failures.push({ name, error });
    this.report(name);
  }

  summary(extra: Pick<BatchSummary, 'redelivered' | 'reconnects'> = {}): BatchSummary {
    return {
      total: this.total,
      done: this.done,
      skipped: this.skipped,
      failed: this.failures.length,
      failures: this.failures,
      seconds: (performance.now() - this.started) / 1000,
      ...extra,
    };
  }

  private report(last?: string): void {
    this.onProgress?.({
      total: this.total,
      done: this.done,
      skipped: this.skipped,
      failed: this.failures.length,
      ...(last ? { last } : {}),
    });
  }
}
