import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { ConfigError } from '../errors.ts';
import { BatchTally } from './batchTally.ts';
import type { Recording } from './listRecordings.ts';
import type { PipelineJob, PipelineJobResult } from './pipelineWorker.ts';
import { startTsWorker } from './tsWorker.ts';

export interface BatchOptions {
  readonly pipeline: string;
  readonly recordings: readonly Recording[];
  readonly outDir: string;
  /** Worker threads (default: the machine's cores). */
  readonly concurrency?: number;
  readonly onProgress?: (progress: BatchProgress) => void;
}

export interface BatchProgress {
  readonly total: number;
  readonly done: number;
  readonly skipped: number;
  readonly failed: number;
  /** The recording that just finished, if any. */
  readonly last?: string;
}

export interface BatchSummary extends BatchProgress {
  readonly failures: readonly { name: string; error: string }[];
  readonly seconds: number;
  /** NATS batches: jobs finished by another worker after theirs went silent, and broker reconnects. */
  readonly redelivered?: number;
  readonly reconnects?: number;
}

/**
 * Runs a pipeline over recordings on this machine's cores, writing `outDir/<name>/…` per recording. Recordings
 * whose outputs are already complete are skipped, so an interrupted batch resumes where it stopped.
 */
export async function runLocalBatch(options: BatchOptions): Promise<BatchSummary> {
  const concurrency = options.concurrency ?? availableParallelism();
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new ConfigError('concurrency', concurrency, 'an integer >= 1');

  const { tally, pending: todo } = await BatchTally.open(options.recordings, options.outDir, options.onProgress);
  const pending: PipelineJob[] = todo.map((p) => ({ id: p.index, pipeline: resolve(options.pipeline), input: p.recording.path, out: p.out }));

  const workerCount = Math.min(concurrency, pending.length);
  const workers = Array.from({ length: workerCount }, () => startTsWorker(new URL('./pipelineWorker.ts', import.meta.url)));
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolveWorker, rejectWorker) => {
            const next = () => {
              const job = pending.shift();
              if (!job) return resolveWorker();
              worker.postMessage(job);
            };
            worker.on('message', (result: PipelineJobResult) => {
              tally.finished(options.recordings[result.id]!.name, result.ok ? undefined : (result.error ?? 'unknown error'));
              next();
            });
            worker.once('error', rejectWorker);
            next();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return tally.summary();
}
