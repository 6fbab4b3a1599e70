import type { MonoTypeOperatorFunction } from 'rxjs';
import { ConfigError } from '../errors.ts';
import type { EventBatch } from '../events/eventBatch.ts';
import { createHotPixelState, hotPixelKernel, type HotPixelParams, type HotPixelState } from './kernels/hotPixel.ts';
import { mapBatches } from './mapBatches.ts';
import { checkKeys, numberOption, type Options } from './options.ts';

export interface HotPixelOptions {
  /** Pixels to drop always, as [x, y] pairs. */
  readonly pixels?: readonly (readonly [number, number])[];
  /** Learn hot pixels over the first `learnUs` µs of the stream (default 0: no learning). */
  readonly learnUs?: number;
  /** A pixel is hot when its count over the learning window exceeds factor × the mean (default 5). */
  readonly factor?: number;
  /** Called once with the learned hot pixels ([x, y] pairs) when learning ends (not from pipeline files). */
  readonly onLearned?: (pixels: [number, number][]) => void;
}

/**
 * Hot-pixel filter: drops the events of listed pixels and of pixels learned to be hot, i.e. whose event
 * rate over the learning window (from the stream's first event) exceeds `factor` times the mean rate of the
 * pixels that fired. Events during the learning window pass (except listed pixels): the stream is not delayed.
 *
 * @example fromFile('a.raw').pipe(hotPixel({ pixels: [[10, 20]], learnUs: 1_000_000, factor: 5 }))
 */
export function hotPixel(options: HotPixelOptions, keyPath = 'hotPixel'): MonoTypeOperatorFunction<EventBatch> {
  const params = hotPixelParams(options, keyPath);
  const onLearned = options.onLearned;
  return mapBatches(() => {
    let state: HotPixelState | undefined;
    let reported = false;
    return function hotPixelStep(batch: EventBatch): EventBatch {
      state ??= createHotPixelState(batch, params);
      const out = hotPixelKernel(batch, state, params);
      if (onLearned && !reported && params.learnUs > 0 && state.counts === undefined) {
        reported = true;
        const width = state.width;
        onLearned(state.learned.map((c): [number, number] => [c % width, Math.floor(c / width)]));
      }
      return out;
    };
  });
}

function hotPixelParams(options: unknown, keyPath: string): HotPixelParams {
  const o = checkKeys(options, keyPath, ['pixels', 'learnUs', 'factor', 'onLearned']);
  const pixels = pixelList(o, keyPath);
  const learnUs = numberOption(o, 'learnUs', keyPath, { min: 0 }, 0);
  const factor = numberOption(o, 'factor', keyPath, { min: 0, minExclusive: true }, 5);
  if (pixels.length === 0 && learnUs === 0) {
    throw new ConfigError(keyPath, options, 'listed "pixels", a learning window "learnUs" > 0, or both');
  }
  if (o.onLearned !== undefined && typeof o.onLearned !== 'function') {
    throw new ConfigError(`${keyPath}.onLearned`, o.onLearned, 'a function');
  }
  return { pixels, learnUs, factor };
}

function pixelList(o: Options, keyPath: string): [number, number][] {
  const value = o.pixels;
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ConfigError(`${keyPath}.pixels`, value, 'an array of [x, y] pairs');
  return value.map((pair: unknown, i) => {
    const ok =
      Array.isArray(pair) &&
      pair.length === 2 &&
      pair.every((v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 65536);
    if (!ok) throw new ConfigError(`${keyPath}.pixels[${i}]`, pair, 'an [x, y] pair of integers in 0..65535');
    return [pair[0], pair[1]] as [number, number];
  });
}
