import type { Region } from './kernels/region.ts';
import { numberOption, type Options } from './options.ts';

/** Reads x, y (default 0), width and height of a pixel rectangle from options. */
export function regionOption(o: Options, keyPath: string): Region {
  const coordinate = { min: 0, max: 65535, integer: true };
  const size = { min: 1, max: 65536, integer: true };
  return {
    x: numberOption(o, 'x', keyPath, coordinate, 0),
    y: numberOption(o, 'y', keyPath, coordinate, 0),
    width: numberOption(o, 'width', keyPath, size),
    height: numberOption(o, 'height', keyPath, size),
  };
}
