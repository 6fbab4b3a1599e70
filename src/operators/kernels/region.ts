import { ConfigError } from '../../errors.ts';
import type { Geometry } from '../../events/geometry.ts';

/** A rectangle of pixels: x0 <= x < x0 + width, y0 <= y < y0 + height. */
export interface Region {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The region must lie on the sensor; checked against the first batch, when the geometry becomes known. */
export function checkRegionOnSensor(region: Region, sensor: Geometry, keyPath: string): void {
  if (region.x + region.width > sensor.width) {
    throw new ConfigError(`${keyPath}.width`, region.width, `x + width <= the sensor width ${sensor.width} (x = ${region.x})`);
  }
  if (region.y + region.height > sensor.height) {
    throw new ConfigError(
      `${keyPath}.height`,
      region.height,
      `y + height <= the sensor height ${sensor.height} (y = ${region.y})`,
    );
  }
}

/**
 * Writes to `indices` the index of every event inside `region` (or, with `outside`, outside it) and returns
 * how many. One index store per event and no branch on the outcome: events near the region's edges made an
 * `if` mispredict (crop and mask measured 1.3–2.7× faster this way).
 */
export function regionIndices(
  x: Uint16Array, y: Uint16Array, n: number, region: Region, outside: boolean, indices: Uint32Array,
): number {
  const x0 = region.x;
  const y0 = region.y;
  const w1 = (region.width - 1) | 0;
  const h1 = (region.height - 1) | 0;
  const flip = outside ? 1 : 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] - x0) | 0;
    const dy = (y[i] - y0) | 0;
    indices[k] = i;
    // Inside when 0 <= dx <= width - 1 and 0 <= dy <= height - 1: none of the four has its sign bit set.
    k += ((dx | (w1 - dx) | dy | (h1 - dy)) >>> 31) ^ 1 ^ flip;
  }
  return k;
}
