import { ConfigError } from '../errors.ts';

/** Sensor size in pixels. x < width, y < height. */
export interface Geometry {
  readonly width: number;
  readonly height: number;
}

/** The largest sensor coordinate the EventBatch can carry (x/y are Uint16Array). */
export const MAX_SENSOR_SIZE = 65536;

export function checkGeometry(width: number, height: number, parameter = 'geometry'): Geometry {
  for (const [name, v] of [['width', width], ['height', height]] as const) {
    if (!Number.isInteger(v) || v < 1 || v > MAX_SENSOR_SIZE) {
      throw new ConfigError(`${parameter}.${name}`, v, `an integer in 1..${MAX_SENSOR_SIZE}`);
    }
  }
  return { width, height };
}
