// Re-exports only: one operator per file.
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
