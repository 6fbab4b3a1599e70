import type { MonoTypeOperatorFunction } from 'rxjs';
import type { EventBatch } from '../events/eventBatch.ts';
import { selectPolarityKernel, type SelectPolarityState } from './kernels/selectPolarity.ts';
import { mapBatches } from './mapBatches.ts';
import { checkKeys, choiceOption } from './options.ts';

export interface SelectPolarityOptions {
  /** Which events to keep. */
  readonly keep: 'on' | 'off';
}

/**
 * Keeps only ON (brighter) or only OFF (darker) events.
 *
 * @example fromFile('a.raw').pipe(selectPolarity({ keep: 'on' }))
 */
export function selectPolarity(
  options: SelectPolarityOptions,
  keyPath = 'selectPolarity',
): MonoTypeOperatorFunction<EventBatch> {
  const keep = choiceOption(checkKeys(options, keyPath, ['keep']), 'keep', keyPath, ['on', 'off'] as const);
  const polarity = keep === 'on' ? 1 : 0;
  return mapBatches(() => {
    const state: SelectPolarityState = { indices: new Uint32Array(0) };
    return function selectPolarityStep(batch: EventBatch): EventBatch {
      return selectPolarityKernel(batch, state, polarity);
    };
  });
}
