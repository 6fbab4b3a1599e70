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
