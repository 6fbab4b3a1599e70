import type { MonoTypeOperatorFunction } from 'rxjs';
import type { EventBatch } from '../events/eventBatch.ts';
import { flipKernel } from './kernels/flip.ts';
import { mapBatches } from './mapBatches.ts';
import { checkKeys, choiceOption } from './options.ts';

export interface FlipOptions {
  /** 'x' mirrors left-right (x → width-1-x), 'y' up-down (y → height-1-y), 'both' is a 180° turn. */
  readonly axis: 'x' | 'y' | 'both';
}

/**
 * Mirrors the events; the geometry is unchanged.
 *
 * @example fromFile('a.raw').pipe(flip({ axis: 'y' }))
 */
export function flip(options: FlipOptions, keyPath = 'flip'): MonoTypeOperatorFunction<EventBatch> {
  const axis = choiceOption(checkKeys(options, keyPath, ['axis']), 'axis', keyPath, ['x', 'y', 'both'] as const);
  const flipX = axis !== 'y';
  const flipY = axis !== 'x';
  return mapBatches(() => function flipStep(batch: EventBatch): EventBatch {
    return flipKernel(batch, flipX, flipY);
  });
}
