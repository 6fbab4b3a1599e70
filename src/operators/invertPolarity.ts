import type { MonoTypeOperatorFunction } from 'rxjs';
import type { EventBatch } from '../events/eventBatch.ts';
import { invertPolarityKernel } from './kernels/invertPolarity.ts';
import { mapBatches } from './mapBatches.ts';
import { checkKeys } from './options.ts';

/**
 * Swaps ON and OFF.
 *
 * @example fromFile('a.raw').pipe(invertPolarity())
 */
export function invertPolarity(
  options: Record<string, never> = {},
  keyPath = 'invertPolarity',
): MonoTypeOperatorFunction<EventBatch> {
  checkKeys(options, keyPath, []);
  return mapBatches(() => invertPolarityKernel);
}
