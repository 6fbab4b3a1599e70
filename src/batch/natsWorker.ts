import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { jetstream, type JsMsg } from '@nats-io/jetstream';
import { Objm, type ObjectStore } from '@nats-io/obj';
import { connectBroker } from '../nats/connect.ts';
import { doneSubject, INPUTS_BUCKET, JOBS_CONSUMER, JOBS_STREAM, RESULTS_BUCKET } from '../nats/subjects.ts';
import { runPipeline } from '../pipeline/runPipeline.ts';
import { packDirectory } from './dirArchive.ts';
import { DEFAULT_ACK_WAIT_MS, ensureJobQueue, type NatsJob, type NatsJobDone } from './natsJobs.ts';

export interface WorkerOptions {
  readonly natsUrl: string;
  readonly ackWaitMs?: number;
  /** Stop after this many jobs (default: run until the signal aborts). */
  readonly maxJobs?: number;
  readonly signal?: AbortSignal;
  readonly onStart?: (job: NatsJob) => void;
  readonly onJob?: (job: NatsJob, outcome: NatsJobDone) => void;
}

/**
 * Pulls jobs from the broker's work queue one at a time, runs the pipeline on the job's recording, stores the
 * outputs, reports completion and only then acknowledges. A worker killed mid-job never acknowledges, so the
 * broker redelivers the job to another worker after the ack wait; while a job runs, heartbeats keep it ours.
 */
export async function runWorker(options: WorkerOptions): Promise<{ jobs: number }> {
  const ackWaitMs = options.ackWaitMs ?? DEFAULT_ACK_WAIT_MS;
  const broker = await connectBroker(options.natsUrl, `spikeflow-worker@${hostname()}:${process.pid}`);
  const workerName = `${hostname()}:${process.pid}`;
  let jobs = 0;
  try {
    const { nc } = broker;
    await ensureJobQueue(nc, ackWaitMs);
    const js = jetstream(nc);
    const objm = new Objm(js);
    const inputs = await objm.create(INPUTS_BUCKET);
    const results = await objm.create(RESULTS_BUCKET);
    const consumer = await js.consumers.get(JOBS_STREAM, JOBS_CONSUMER);
    while (!options.signal?.aborted && (options.maxJobs === undefined || jobs < options.maxJobs)) {
      const message = await consumer.next({ expires: 1_000 });
      if (!message) continue;
      const job = message.json<NatsJob>();
      options.onStart?.(job);
      const outcome = { ...(await runJob(job, message, inputs, results, workerName, ackWaitMs)), delivery: message.info.deliveryCount };
      nc.publish(doneSubject(job.batchId), JSON.stringify(outcome));
      await nc.flush();
      message.ack();
      jobs++;
      options.onJob?.(job, outcome);
    }
    return { jobs };
  } finally {
    await broker.close();
  }
}

async function runJob(
  job: NatsJob,
  message: JsMsg,
  inputs: ObjectStore,
  results: ObjectStore,
  worker: string,
  ackWaitMs: number,
): Promise<Omit<NatsJobDone, 'delivery'>> {
  const dir = await mkdtemp(join(tmpdir(), 'spikeflow-job-'));
  const heartbeat = setInterval(() => message.working(), Math.max(100, ackWaitMs / 3));
  try {
    const input = await inputs.get(job.inputKey);
    if (!input) return { index: job.index, ok: false, error: `input ${job.inputKey} is missing from the broker`, worker };
    const inputPath = join(dir, job.inputName);
    const pipelinePath = join(dir, 'pipeline.json');
    // Streamed to disk: recordings can be far larger than memory.
    await pipeline(Readable.fromWeb(input.data as never), createWriteStream(inputPath));
    const inputError = await input.error;
    if (inputError) throw inputError;
    await writeFile(pipelinePath, job.pipelineText);
    const out = join(dir, 'out');
    await runPipeline(pipelinePath, { input: inputPath, out });
    await results.putBlob({ name: job.resultKey }, await packDirectory(out));
    return { index: job.index, ok: true, worker };
  } catch (error) {
    return { index: job.index, ok: false, error: (error as Error).message ?? String(error), worker };
  } finally {
    clearInterval(heartbeat);
    await rm(dir, { recursive: true, force: true });
  }
}
