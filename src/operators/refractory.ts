import type { MonoTypeOperatorFunction } from 'rxjs';
import type { EventBatch } from '../events/eventBatch.ts';
import {
  createRefractoryState,
  refractoryKernel,
  type RefractoryParams,
  type RefractoryState,
} from './kernels/refractory.ts';
import { mapBatches } from './mapBatches.ts';
import { booleanOption, checkKeys, numberOption } from './options.ts';

export interface RefractoryOptions {
  /** Refractory period in µs: an event closer than this to its pixel's previous event is dropped. */
  readonly periodUs: number;
  /** Track ON and OFF separately (default false: any event of the pixel restarts the period). */
  readonly perPolarity?: boolean;
}

/**
 * Refractory-period filter: a pixel cannot fire again until `periodUs` µs after its previous event (every
 * event restarts the period, as in dv-processing). Thins bursts from flickering light and hot pixels.
 *
 * @example fromFile('a.raw').pipe(refractory({ periodUs: 1000 }))
 */
export function refractory(options: RefractoryOptions, keyPath = 'refractory'): MonoTypeOperatorFunction<EventBatch> {
  const params = refractoryParams(options, keyPath);
  return mapBatches((onTeardown) => {
    let state: RefractoryState | undefined;
    // The WebAssembly instance (map and staging memory already paged in) goes to the next subscription.
    onTeardown(() => state?.wasm?.release());
    return function refractoryStep(batch: EventBatch): EventBatch {
      state ??= createRefractoryState(batch, params.perPolarity);
      return refractoryKernel(batch, state, params);
    };
  });
}

function refractoryParams(options: unknown, keyPath: string): RefractoryParams {
  const o = checkKeys(options, keyPath, ['periodUs', 'perPolarity']);
  return {
    periodUs: numberOption(o, 'periodUs', keyPath, { min: 0, minExclusive: true }),
    perPolarity: booleanOption(o, 'perPolarity', keyPath, false),
  };
}
