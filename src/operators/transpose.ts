import type { MonoTypeOperatorFunction } from 'rxjs';
import type { EventBatch } from '../events/eventBatch.ts';
import { transposeKernel } from './kernels/transpose.ts';
import { mapBatches } from './mapBatches.ts';
import { checkKeys } from './options.ts';

/**
 * Swaps x and y (and width and height): a mirror along the main diagonal.
 *
 * @example fromFile('a.raw').pipe(transpose())
 */
export function transpose(options: Record<string, never> = {}, keyPath = 'transpose'): MonoTypeOperatorFunction<EventBatch> {
  checkKeys(options, keyPath, []);
  return mapBatches(() => transposeKernel);
}
