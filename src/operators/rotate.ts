import type { MonoTypeOperatorFunction } from 'rxjs';
import type { EventBatch } from '../events/eventBatch.ts';
import { rotateKernel, type RotationDegrees } from './kernels/rotate.ts';
import { mapBatches } from './mapBatches.ts';
import { checkKeys, choiceOption } from './options.ts';

export interface RotateOptions {
  /** Clockwise as seen on screen (y downwards). 90 and 270 swap width and height. */
  readonly degrees: RotationDegrees;
}

/**
 * Rotates the events by a quarter, half or three-quarter turn, updating the geometry.
 *
 * @example fromFile('a.raw').pipe(rotate({ degrees: 90 }))
 */
export function rotate(options: RotateOptions, keyPath = 'rotate'): MonoTypeOperatorFunction<EventBatch> {
  const o = checkKeys(options, keyPath, ['degrees']);
  const degrees = choiceOption(o, 'degrees', keyPath, [90, 180, 270] as const);
  return mapBatches(() => function rotateStep(batch: EventBatch): EventBatch {
    return rotateKernel(batch, degrees);
  });
}
