import type { MonoTypeOperatorFunction } from 'rxjs';
import type { EventBatch } from '../events/eventBatch.ts';
import { maskKernel, type MaskState } from './kernels/mask.ts';
import { checkRegionOnSensor } from './kernels/region.ts';
import { mapBatches } from './mapBatches.ts';
import { booleanOption, checkKeys } from './options.ts';
import { regionOption } from './regionOptions.ts';

export interface MaskOptions {
  readonly x?: number;
  readonly y?: number;
  readonly width: number;
  readonly height: number;
  /** Drop the events inside the rectangle instead of those outside (default false). */
  readonly outside?: boolean;
}

/**
 * ROI mask: keeps the events inside the rectangle (or outside it, with `outside`) at their own coordinates;
 * the geometry stays the sensor's.
 *
 * @example fromFile('a.raw').pipe(mask({ x: 0, y: 400, width: 640, height: 80, outside: true }))
 */
export function mask(options: MaskOptions, keyPath = 'mask'): MonoTypeOperatorFunction<EventBatch> {
  const o = checkKeys(options, keyPath, ['x', 'y', 'width', 'height', 'outside']);
  const region = regionOption(o, keyPath);
  const outside = booleanOption(o, 'outside', keyPath, false);
  return mapBatches(() => {
    const state: MaskState = { indices: new Uint32Array(0) };
    let checked = false;
    return function maskStep(batch: EventBatch): EventBatch {
      if (!checked) checkRegionOnSensor(region, batch, keyPath);
      checked = true;
      return maskKernel(batch, state, region, outside);
    };
  });
}
