import type { MonoTypeOperatorFunction } from 'rxjs';
import type { EventBatch } from '../events/eventBatch.ts';
import { mergePolarityKernel } from './kernels/mergePolarity.ts';
import { mapBatches } from './mapBatches.ts';
import { checkKeys, choiceOption } from './options.ts';

export interface MergePolarityOptions {
  /** The polarity every event gets (default 'on'). */
  readonly to?: 'on' | 'off';
}

/**
 * Merges ON and OFF into one polarity, for stages that should see "something changed here" only.
 *
 * @example fromFile('a.raw').pipe(mergePolarity())
 */
export function mergePolarity(
  options: MergePolarityOptions = {},
  keyPath = 'mergePolarity',
): MonoTypeOperatorFunction<EventBatch> {
  const to = choiceOption(checkKeys(options, keyPath, ['to']), 'to', keyPath, ['on', 'off'] as const, 'on');
  const polarity = to === 'on' ? 1 : 0;
  return mapBatches(() => function mergePolarityStep(batch: EventBatch): EventBatch {
    return mergePolarityKernel(batch, polarity);
  });
}
