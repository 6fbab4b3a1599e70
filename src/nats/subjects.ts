/**
 * Subject names. A stream name is one NATS token (letters, digits, '-' and '_'), chosen by the user so that
 * several cameras or runs can share a broker.
 *   spikeflow.<stream>.events               binary event batches
 *   spikeflow.<stream>.spikes.<population>  binary spike batches
 *   spikeflow.<stream>.detections           JSON DetectionFrame
 */
import { ConfigError } from '../errors.ts';

const TOKEN = /^[A-Za-z0-9_-]+$/;

export function checkToken(parameter: string, value: string): string {
  if (!TOKEN.test(value)) throw new ConfigError(parameter, value, 'a NATS subject token: letters, digits, "-" or "_"');
  return value;
}

export const eventsSubject = (stream: string) => `spikeflow.${checkToken('stream', stream)}.events`;
export const spikesSubject = (stream: string, population: string) =>
  `spikeflow.${checkToken('stream', stream)}.spikes.${checkToken('population', population)}`;
export const detectionsSubject = (stream: string) => `spikeflow.${checkToken('stream', stream)}.detections`;

/** Job queue of `batch --nats` / `worker`. */
export const JOBS_STREAM = 'SPIKEFLOW_JOBS';
export const JOBS_CONSUMER = 'spikeflow-workers';
export const jobSubject = (batchId: string, index: number) => `spikeflow.jobs.${batchId}.${index}`;
export const doneSubject = (batchId: string) => `spikeflow.done.${batchId}`;
export const INPUTS_BUCKET = 'spikeflow-inputs';
export const RESULTS_BUCKET = 'spikeflow-results';
