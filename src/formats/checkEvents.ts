import { ConfigError } from '../errors.ts';
import type { EventBatch } from '../events/eventBatch.ts';

/**
 * The checks every encoder makes before writing a batch (shared by the nmnist, es, csv, npy and hdf5
 * encoders): integer, non-negative, non-decreasing t and coordinates inside the declared geometry.
 * Returns the batch's last t so that the caller can carry it to the next batch.
 */
export function checkEvents(batch: EventBatch, width: number, height: number, previousT: number): number {
  const { t, x, y } = batch;
  let last = previousT;
  for (let i = 0; i < batch.length; i++) {
    const ti = t[i]!;
    if (!(ti >= last) || !Number.isSafeInteger(ti)) {
      if (!Number.isSafeInteger(ti) || ti < 0) throw new ConfigError('t', ti, 'an integer number of µs >= 0');
      throw new ConfigError('t', ti, `t must not decrease (previous event t=${last})`);
    }
    last = ti;
    if (x[i]! >= width) throw new ConfigError('x', x[i], `x must be strictly smaller than width=${width}`);
    if (y[i]! >= height) throw new ConfigError('y', y[i], `y must be strictly smaller than height=${height}`);
  }
  return last;
}
