/**
 * Event filters as RxJS operators, one per file, each over a pure typed-array kernel in `kernels/`.
 *
 * The stream contract they keep: batches are struct-of-arrays with t in µs, never null, possibly empty, and
 * t never decreases. Every output batch has new arrays (inputs are never written). Per-pixel state is made
 * per subscription, sized from the first batch's geometry. Unsubscribing stops a synchronous source at once.
 * Bad options throw a ConfigError (parameter, value, allowed) when the operator is made; a region off the
 * sensor errors the stream at the first batch.
 */
export { backgroundActivity, type BackgroundActivityOptions } from './backgroundActivity.ts';
export { countWindow, type CountWindowOptions } from './countWindow.ts';
export { crop, type CropOptions } from './crop.ts';
export { downsample, type DownsampleOptions } from './downsample.ts';
export { flip, type FlipOptions } from './flip.ts';
export { hotPixel, type HotPixelOptions } from './hotPixel.ts';
export { invertPolarity } from './invertPolarity.ts';
export { mask, type MaskOptions } from './mask.ts';
export { mergePolarity, type MergePolarityOptions } from './mergePolarity.ts';
export { pace, type PaceOptions } from './pace.ts';
export { pacedBatches, type PacedBatchesOptions } from './pacedBatches.ts';
export { refractory, type RefractoryOptions } from './refractory.ts';
export { createFilter, filterNames } from './registry.ts';
export { rotate, type RotateOptions } from './rotate.ts';
export { selectPolarity, type SelectPolarityOptions } from './selectPolarity.ts';
export { timeWindow, type TimeWindowOptions, type WindowedBatch } from './timeWindow.ts';
export { transpose } from './transpose.ts';
