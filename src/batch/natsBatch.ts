import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { jetstream } from '@nats-io/jetstream';
import { Objm } from '@nats-io/obj';
import { connectBroker } from '../nats/connect.ts';
import { doneSubject, INPUTS_BUCKET, jobSubject, RESULTS_BUCKET } from '../nats/subjects.ts';
import { isComplete, writeAtomically } from './atomicOutput.ts';
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
  const started = performance.now();
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

    const total = options.recordings.length;
    const waiting = new Map<number, string>();
    let skipped = 0;
    for (const [index, r] of options.recordings.entries()) {
      if (await isComplete(join(resolve(options.outDir), r.name))) skipped++;
      else waiting.set(index, r.name);
    }
    let done = skipped;
    let redelivered = 0;
    const failures: { name: string; error: string }[] = [];
    const report = (last?: string) =>
      options.onProgress?.({ total, done, skipped, failed: failures.length, ...(last ? { last } : {}) });
    report();

    // Subscribe before enqueueing so that no completion can be missed.
    const doneSub = nc.subscribe(doneSubject(batchId));
    for (const [index, name] of waiting) {
      const recording = options.recordings[index]!;
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
        const name = waiting.get(reply.index);
        if (name === undefined) continue; // a redelivered job finished twice: the first result already counts
        waiting.delete(reply.index);
        if (reply.ok) {
          const archive = await results.getBlob(`${batchId}/${reply.index}/result`);
          if (!archive) failures.push({ name, error: `worker ${reply.worker} reported success but stored no result` });
          else await writeAtomically(join(resolve(options.outDir), name), (tmp) => unpackDirectory(archive, tmp, name));
        } else {
          failures.push({ name, error: reply.error ?? 'unknown error' });
        }
        await inputs.delete(`${batchId}/${reply.index}/input`).catch(() => undefined);
        await results.delete(`${batchId}/${reply.index}/result`).catch(() => undefined);
        done++;
        report(name);
        if (waiting.size === 0) break;
      }
    }
    doneSub.unsubscribe();
    return {
      total,
      done,
      skipped,
      failed: failures.length,
      failures,
      seconds: (performance.now() - started) / 1000,
      redelivered,
      reconnects: broker.counters.reconnects,
    };
  } finally {
    await broker.close();
  }
}
