import { ConfigError } from '../errors.ts';
import type { Geometry } from '../events/geometry.ts';

/**
 * How pixel events become input spikes: each `pool` × `pool` block of pixels is one retinotopic cell, and
 * ON/OFF events go to two channels ('separate') or to one ('merged').
 */
export interface EncoderOptions {
  /** Pooling factor f: pixel (x, y) feeds cell (floor(x/f), floor(y/f)). */
  readonly pool: number;
  readonly polarity: 'separate' | 'merged';
  /** Name of the `source` population the spikes are addressed to. */
  readonly population: string;
}

export const DEFAULT_ENCODER: EncoderOptions = { pool: 4, polarity: 'separate', population: 'input' };

/** The cell grid of an encoder: [width, height, channels]; neuron index is `(c * height + y) * width + x`. */
export interface CellGrid {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  readonly pool: number;
}

export function cellGrid(sensor: Geometry, options: Pick<EncoderOptions, 'pool' | 'polarity'>): CellGrid {
  checkPool(options.pool, 'encoder.pool');
  return {
    width: Math.ceil(sensor.width / options.pool),
    height: Math.ceil(sensor.height / options.pool),
    channels: options.polarity === 'separate' ? 2 : 1,
    pool: options.pool,
  };
}

export function checkPool(pool: number, keyPath: string): void {
  if (!Number.isInteger(pool) || pool < 1 || pool > 256) throw new ConfigError(keyPath, pool, 'an integer in 1..256');
}
