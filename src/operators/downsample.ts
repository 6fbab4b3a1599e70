import type { MonoTypeOperatorFunction } from 'rxjs';
import type { EventBatch } from '../events/eventBatch.ts';
import {
  createDownsampleState,
  downsampleKernel,
  type DownsampleParams,
  type DownsampleState,
} from './kernels/downsample.ts';
import { mapBatches } from './mapBatches.ts';
import { checkKeys, numberOption } from './options.ts';

export interface DownsampleOptions {
  /** Cell size in pixels; coordinates are divided by it and the geometry becomes ceil(size / factor). */
  readonly factor: number;
  /** Input events (per cell and polarity) per output event (default 1: every event passes). */
  readonly threshold?: number;
}

/**
 * Spatial downsampling to a coarser grid, optionally integrating: with `threshold` N a cell emits one event
 * per N input events of one polarity.
 *
 * @example fromFile('a.raw').pipe(downsample({ factor: 4, threshold: 2 }))
 */
export function downsample(options: DownsampleOptions, keyPath = 'downsample'): MonoTypeOperatorFunction<EventBatch> {
  const o = checkKeys(options, keyPath, ['factor', 'threshold']);
  const params: DownsampleParams = {
    factor: numberOption(o, 'factor', keyPath, { min: 1, max: 65536, integer: true }),
    threshold: numberOption(o, 'threshold', keyPath, { min: 1, max: 2 ** 32 - 1, integer: true }, 1),
  };
  return mapBatches(() => {
    let state: DownsampleState | undefined;
    return function downsampleStep(batch: EventBatch): EventBatch {
      state ??= createDownsampleState(batch, params);
      return downsampleKernel(batch, state, params);
    };
  });
}
