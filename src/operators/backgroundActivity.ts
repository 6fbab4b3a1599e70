import type { MonoTypeOperatorFunction } from 'rxjs';
import type { EventBatch } from '../events/eventBatch.ts';
import {
  backgroundActivityKernel,
  createBackgroundActivityState,
  type BackgroundActivityParams,
  type BackgroundActivityState,
} from './kernels/backgroundActivity.ts';
import { mapBatches } from './mapBatches.ts';
import { booleanOption, checkKeys, numberOption } from './options.ts';

export interface BackgroundActivityOptions {
  /** Support window in µs: an event passes if a neighbour fired less than this long before. */
  readonly windowUs: number;
  /** Also count the pixel's own previous event as support (default false, as dv-processing). */
  readonly includeSelf?: boolean;
}

/**
 * Background-activity (nearest-neighbour) noise filter: keeps an event only if one of its 8 neighbouring
 * pixels had an event within the last `windowUs` µs. Isolated noise events have no such support; edges of
 * moving objects do. The per-pixel time map is allocated from the first batch's geometry, per subscription.
 *
 * @example fromFile('a.raw').pipe(backgroundActivity({ windowUs: 2000 }))
 */
export function backgroundActivity(
  options: BackgroundActivityOptions,
  keyPath = 'backgroundActivity',
): MonoTypeOperatorFunction<EventBatch> {
  const params = backgroundActivityParams(options, keyPath);
  return mapBatches((onTeardown) => {
    let state: BackgroundActivityState | undefined;
    // The WebAssembly instance (map and staging memory already paged in) goes to the next subscription.
    onTeardown(() => state?.wasm?.release());
    return function backgroundActivityStep(batch: EventBatch): EventBatch {
      state ??= createBackgroundActivityState(batch);
      return backgroundActivityKernel(batch, state, params);
    };
  });
}

function backgroundActivityParams(options: unknown, keyPath: string): BackgroundActivityParams {
  const o = checkKeys(options, keyPath, ['windowUs', 'includeSelf']);
  return {
    windowUs: numberOption(o, 'windowUs', keyPath, { min: 0, minExclusive: true }),
    includeSelf: booleanOption(o, 'includeSelf', keyPath, false),
  };
}
