import type { MonoTypeOperatorFunction } from 'rxjs';
import { ConfigError } from '../errors.ts';
import type { EventBatch } from '../events/eventBatch.ts';
import { backgroundActivity, type BackgroundActivityOptions } from './backgroundActivity.ts';
import { countWindow, type CountWindowOptions } from './countWindow.ts';
import { crop, type CropOptions } from './crop.ts';
import { downsample, type DownsampleOptions } from './downsample.ts';
import { flip, type FlipOptions } from './flip.ts';
import { hotPixel, type HotPixelOptions } from './hotPixel.ts';
import { invertPolarity } from './invertPolarity.ts';
import { mask, type MaskOptions } from './mask.ts';
import { mergePolarity, type MergePolarityOptions } from './mergePolarity.ts';
import { pace, type PaceOptions } from './pace.ts';
import { refractory, type RefractoryOptions } from './refractory.ts';
import { rotate, type RotateOptions } from './rotate.ts';
import { selectPolarity, type SelectPolarityOptions } from './selectPolarity.ts';
import { timeWindow, type TimeWindowOptions } from './timeWindow.ts';
import { transpose } from './transpose.ts';

type Factory = (options: Record<string, unknown>, keyPath: string) => MonoTypeOperatorFunction<EventBatch>;

/**
 * Filters by the name a pipeline file uses. Options arrive as parsed JSON; every operator checks them and
 * names `keyPath` in its ConfigError. Options that are functions or schedulers (hotPixel's `onLearned`,
 * pace's `scheduler`) cannot come from a file and are refused here.
 */
const factories: Record<string, Factory> = {
  backgroundActivity: (o, k) => backgroundActivity(o as unknown as BackgroundActivityOptions, k),
  refractory: (o, k) => refractory(o as unknown as RefractoryOptions, k),
  hotPixel: (o, k) => hotPixel(dataOnly(o, k, 'onLearned') as HotPixelOptions, k),
  crop: (o, k) => crop(o as unknown as CropOptions, k),
  mask: (o, k) => mask(o as unknown as MaskOptions, k),
  selectPolarity: (o, k) => selectPolarity(o as unknown as SelectPolarityOptions, k),
  mergePolarity: (o, k) => mergePolarity(o as MergePolarityOptions, k),
  invertPolarity: (o, k) => invertPolarity(o as Record<string, never>, k),
  flip: (o, k) => flip(o as unknown as FlipOptions, k),
  rotate: (o, k) => rotate(o as unknown as RotateOptions, k),
  transpose: (o, k) => transpose(o as Record<string, never>, k),
  downsample: (o, k) => downsample(o as unknown as DownsampleOptions, k),
  timeWindow: (o, k) => timeWindow(o as unknown as TimeWindowOptions, k),
  countWindow: (o, k) => countWindow(o as unknown as CountWindowOptions, k),
  pace: (o, k) => pace(dataOnly(o, k, 'scheduler') as PaceOptions, k),
};

export const filterNames: readonly string[] = Object.freeze(Object.keys(factories));

/**
 * The filter called `name`, configured by `options` (checked; a bad value is a ConfigError naming
 * `keyPath.option`). An unknown name is a ConfigError naming `keyPath.type` and listing the known filters.
 * `keyPath` is where the filter sits in the pipeline file, e.g. `filters[2]`.
 */
export function createFilter(
  name: string,
  options: Record<string, unknown>,
  keyPath: string,
): MonoTypeOperatorFunction<EventBatch> {
  const factory = Object.hasOwn(factories, name) ? factories[name] : undefined;
  if (!factory) throw new ConfigError(`${keyPath}.type`, name, `a filter name: one of ${filterNames.join(', ')}`);
  return factory(options ?? {}, keyPath);
}

function dataOnly(options: Record<string, unknown>, keyPath: string, key: string): Record<string, unknown> {
  if (options && typeof options === 'object' && key in options) {
    throw new ConfigError(`${keyPath}.${key}`, String(options[key]), 'not settable from a pipeline file');
  }
  return options;
}
