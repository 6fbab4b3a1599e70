import type { MonoTypeOperatorFunction } from 'rxjs';
import type { EventBatch } from '../events/eventBatch.ts';
import { cropKernel } from './kernels/crop.ts';
import { checkRegionOnSensor } from './kernels/region.ts';
import { mapBatches } from './mapBatches.ts';
import { checkKeys } from './options.ts';
import { regionOption } from './regionOptions.ts';

export interface CropOptions {
  /** Left column of the region (default 0). */
  readonly x?: number;
  /** Top row of the region (default 0). */
  readonly y?: number;
  readonly width: number;
  readonly height: number;
}

/**
 * ROI crop: keeps the events inside the rectangle and re-bases them to its top-left corner; the output
 * geometry is width × height. A region reaching past the sensor is a ConfigError at the first batch.
 *
 * @example fromFile('a.raw').pipe(crop({ x: 100, y: 50, width: 320, height: 240 }))
 */
export function crop(options: CropOptions, keyPath = 'crop'): MonoTypeOperatorFunction<EventBatch> {
  const region = regionOption(checkKeys(options, keyPath, ['x', 'y', 'width', 'height']), keyPath);
  return mapBatches(() => {
    let checked = false;
    const state = { indices: new Uint32Array(0) };
    return function cropStep(batch: EventBatch): EventBatch {
      if (!checked) checkRegionOnSensor(region, batch, keyPath);
      checked = true;
      return cropKernel(batch, state, region);
    };
  });
}
