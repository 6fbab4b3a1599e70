import { AckPolicy, jetstreamManager, RetentionPolicy, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { JOBS_CONSUMER, JOBS_STREAM } from '../nats/subjects.ts';

/**
 * One recording to process. The recording's bytes travel through the broker's object store (`inputKey`), and
 * so do the outputs (`resultKey`): workers need no shared file system. The pipeline travels as text, so a
 * pipeline used with remote workers must not depend on other files beside it (its source is the job's input).
 */
export interface NatsJob {
  readonly batchId: string;
  readonly index: number;
  readonly name: string;
  readonly pipelineText: string;
  readonly inputKey: string;
  /** The recording's file name, so that the worker detects its format as the local run would. */
  readonly inputName: string;
  readonly resultKey: string;
}

export interface NatsJobDone {
  readonly index: number;
  readonly ok: boolean;
  readonly error?: string;
  readonly worker: string;
  /** 1 on the first delivery; more when the job was handed over from a worker that went silent. */
  readonly delivery: number;
}

/** How long a job may go without a heartbeat before the broker hands it to another worker. */
export const DEFAULT_ACK_WAIT_MS = 30_000;

/** Creates (or keeps) the work-queue stream and the one durable consumer that all workers pull from. */
export async function ensureJobQueue(nc: NatsConnection, ackWaitMs = DEFAULT_ACK_WAIT_MS): Promise<JetStreamManager> {
  const jsm = await jetstreamManager(nc);
  const streamExists = await jsm.streams.info(JOBS_STREAM).then(
    () => true,
    () => false,
  );
  if (!streamExists) {
    await jsm.streams.add({ name: JOBS_STREAM, subjects: ['spikeflow.jobs.>'], retention: RetentionPolicy.Workqueue });
  }
  const consumerExists = await jsm.consumers.info(JOBS_STREAM, JOBS_CONSUMER).then(
    () => true,
    () => false,
  );
  if (!consumerExists) {
    await jsm.consumers.add(JOBS_STREAM, {
      durable_name: JOBS_CONSUMER,
      ack_policy: AckPolicy.Explicit,
      ack_wait: ackWaitMs * 1_000_000,
      max_ack_pending: 1000,
    });
  }
  return jsm;
}
