import { ConfigError } from '../../errors.ts';
import type { EventBatch } from '../../events/eventBatch.ts';
import type { Geometry } from '../../events/geometry.ts';

/** The times a format's time stamp field holds: integers from `min` on, described by `allowed` in messages. */
export interface TimeRange {
  readonly min: number;
  readonly allowed: string;
}

/**
 * The checks the AEDAT 3.1 and 4.0 encoders make before writing a batch: t non-decreasing (also across
 * batches, from `lastT`) and in the format's range, x < width, y < height. Returns the batch's last t.
 * (AEDAT 2.0 checks 32-bit time steps instead, in its own loop.)
 */
export function checkPolarityEvents(batch: EventBatch, geometry: Geometry, lastT: number, time: TimeRange): number {
  const { width, height } = geometry;
  const { t, x, y } = batch;
  let last = lastT;
  for (let i = 0; i < batch.length; i++) {
    const ti = t[i]!;
    if (!(ti >= last)) throw new ConfigError('t', ti, `non-decreasing time stamps (previous t=${last})`);
    if (!(ti >= time.min && Number.isSafeInteger(ti))) throw new ConfigError('t', ti, time.allowed);
    if (x[i]! >= width) throw new ConfigError('x', x[i], `x < width=${width}`);
    if (y[i]! >= height) throw new ConfigError('y', y[i], `y < height=${height}`);
    last = ti;
  }
  return last;
}
