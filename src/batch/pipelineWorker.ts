/**
 * Worker-thread entry for local batches: runs one pipeline job at a time, as asked by the parent, writing the
 * outputs atomically. Messages: in `{ id, pipeline, input, out }`, out `{ id, ok, wrote, error? }`.
 */
import { parentPort } from 'node:worker_threads';
import { runPipeline } from '../pipeline/runPipeline.ts';
import { writeAtomically } from './atomicOutput.ts';

export interface PipelineJob {
  readonly id: number;
  readonly pipeline: string;
  readonly input: string;
  readonly out: string;
}

export interface PipelineJobResult {
  readonly id: number;
  readonly ok: boolean;
  /** False when another run completed the same outputs first. */
  readonly wrote: boolean;
  readonly error?: string;
}

parentPort?.on('message', (job: PipelineJob) => {
  void runJob(job).then((result) => parentPort?.postMessage(result));
});

async function runJob(job: PipelineJob): Promise<PipelineJobResult> {
  try {
    const wrote = await writeAtomically(job.out, async (tmp) => {
      await runPipeline(job.pipeline, { input: job.input, out: tmp });
    });
    return { id: job.id, ok: true, wrote };
  } catch (error) {
    return { id: job.id, ok: false, wrote: false, error: (error as Error).message ?? String(error) };
  }
}
