import { ConfigError } from '../../errors.ts';
import { BinaryHeapQueue } from './binaryHeapQueue.ts';
import { BucketQueue } from './bucketQueue.ts';
import { FifoQueue } from './fifoQueue.ts';
import { queueKinds, type SpikeQueue } from './spikeQueue.ts';

/**
 * Picks the scheduler queue. "auto" uses the FIFO when every delay is the same and nothing is scheduled out of
 * order (no exponential-synapse wake-ups), else the binary heap. Ordering is identical in every case.
 */
export function createQueue(kind: string, distinctDelays: number, maxDelayUs: number, hasWakeUps: boolean): SpikeQueue {
  const fifoOk = distinctDelays <= 1 && !hasWakeUps;
  switch (kind) {
    case 'auto':
      return fifoOk ? new FifoQueue() : new BinaryHeapQueue();
    case 'heap':
      return new BinaryHeapQueue();
    case 'bucket':
      return new BucketQueue(maxDelayUs);
    case 'fifo':
      if (!fifoOk) throw new ConfigError('queue', kind, 'a network with a single delay and delta synapses only ("heap" or "bucket" otherwise)');
      return new FifoQueue();
    default:
      throw new ConfigError('queue', kind, `one of ${queueKinds.join(', ')}`);
  }
}
