import { ConfigError } from '../errors.ts';
import type { DvsModelOptions } from '../video/dvsModelOptions.ts';

/** Region and size options shared by the frame sources (video, image folder, webcam, scenes). */
export interface FrameSourceOptions {
  /** Region of the input to keep, in input pixels, applied before resizing. */
  readonly crop?: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
  /** Output size; give one of the two to keep the aspect ratio (rounded to an even size for video). */
  readonly width?: number;
  readonly height?: number;
  /** Video: resample to this frame rate. Image folder: the frame rate when files carry no timestamps. */
  readonly fps?: number;
}

/** The event variants take the DVS model options too (seed, threshold, preset, …). */
export type FrameEventSourceOptions = FrameSourceOptions & DvsModelOptions;

/** Checks the size/region options once, with ConfigErrors naming the option. */
export function checkFrameSourceOptions(options: FrameSourceOptions): void {
  for (const key of ['width', 'height'] as const) {
    const v = options[key];
    if (v !== undefined && (!Number.isInteger(v) || v < 2 || v > 16384)) {
      throw new ConfigError(key, v, 'an integer number of pixels in 2..16384');
    }
  }
  if (options.fps !== undefined && (!Number.isFinite(options.fps) || options.fps <= 0 || options.fps > 1e6)) {
    throw new ConfigError('fps', options.fps, 'a frame rate in (0, 1e6] frames per second');
  }
  const crop = options.crop;
  if (crop) {
    for (const key of ['x', 'y'] as const) {
      if (!Number.isInteger(crop[key]) || crop[key] < 0) throw new ConfigError(`crop.${key}`, crop[key], 'an integer >= 0');
    }
    for (const key of ['width', 'height'] as const) {
      if (!Number.isInteger(crop[key]) || crop[key] < 1) throw new ConfigError(`crop.${key}`, crop[key], 'an integer >= 1');
    }
  }
}

/** Parses `x,y,width,height` (CLI `--crop`). */
export function parseCrop(text: string): NonNullable<FrameSourceOptions['crop']> {
  const parts = text.split(',').map((s) => Number(s.trim()));
  if (parts.length !== 4 || parts.some((v) => !Number.isInteger(v) || v < 0)) {
    throw new ConfigError('crop', text, 'four integers x,y,width,height');
  }
  const [x, y, width, height] = parts as [number, number, number, number];
  return { x, y, width, height };
}
