import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { jetstream } from '@nats-io/jetstream';
import { Objm } from '@nats-io/obj';
import { connectBroker } from '../nats/connect.ts';
import { doneSubject, INPUTS_BUCKET, jobSubject, RESULTS_BUCKET } from '../nats/subjects.ts';
import { writeAtomically } from './atomicOutput.ts';
import { BatchTally } from './batchTally.ts';
import { unpackDirectory } from './dirArchive.ts';
import type { BatchOptions, BatchSummary } from './localBatch.ts';
import { ensureJobQueue, type NatsJob, type NatsJobDone } from './natsJobs.ts';

export interface NatsBatchOptions extends Omit<BatchOptions, 'concurrency'> {
  readonly natsUrl: string;
  readonly ackWaitMs?: number;
}

/**
 * Enqueues one job per recording on the broker's work queue and waits until every job reported back; outputs
 * are written under `outDir/<name>/` by this process, atomically and once per recording even when a job was
 * redelivered and finished twice.
 */
export async function runNatsBatch(options: NatsBatchOptions): Promise<BatchSummary> {
  const broker = await connectBroker(options.natsUrl, 'spikeflow-batch');
  try {
    const { nc } = broker;
    await ensureJobQueue(nc, options.ackWaitMs);
    const js = jetstream(nc);
    const objm = new Objm(js);
    const inputs = await objm.create(INPUTS_BUCKET);
    const results = await objm.create(RESULTS_BUCKET);
    const batchId = randomBytes(6).toString('hex');
    const pipelineText = await readFile(options.pipeline, 'utf8');

    const { tally, pending } = await BatchTally.open(options.recordings, options.outDir, options.onProgress);
    const waiting = new Map(pending.map((p) => [p.index, p]));
    let redelivered = 0;

    // Subscribe before enqueueing so that no completion can be missed.
    const doneSub = nc.subscribe(doneSubject(batchId));
    for (const { index, recording } of pending) {
      const name = recording.name;
      const inputKey = `${batchId}/${index}/input`;
      await inputs.put({ name: inputKey }, Readable.toWeb(createReadStream(recording.path)) as ReadableStream<Uint8Array>);
      const job: NatsJob = {
        batchId,
        index,
        name,
        pipelineText,
        inputKey,
        inputName: basename(recording.path),
        resultKey: `${batchId}/${index}/result`,
      };
      await js.publish(jobSubject(batchId, index), JSON.stringify(job));
    }

    if (waiting.size > 0) {
      for await (const message of doneSub) {
        const reply = message.json<NatsJobDone>();
        if (reply.delivery > 1) redelivered++;
        const job = waiting.get(reply.index);
        if (job === undefined) continue; // a redelivered job finished twice: the first result already counts
        waiting.delete(reply.index);
        const name = job.recording.name;
        let error: string | undefined;
        if (reply.ok) {
          const archive = await results.getBlob(`${batchId}/${reply.index}/result`);
          if (!archive) error = `worker ${reply.worker} reported success but stored no result`;
          else await writeAtomically(job.out, (tmp) => unpackDirectory(archive, tmp, name));
        } else {
          error = reply.error ?? 'unknown error';
        }
        await inputs.delete(`${batchId}/${reply.index}/input`).catch(() => undefined);
        await results.delete(`${batchId}/${reply.index}/result`).catch(() => undefined);
        tally.finished(name, error);
        if (waiting.size === 0) break;
      }
    }
    doneSub.unsubscribe();
    return tally.summary({ redelivered, reconnects: broker.counters.reconnects });
  } finally {
    await broker.close();
  }
}
