import { ConfigError } from '../../errors.ts';

/** Option readers that name the JSON key path in their ConfigError. */
export function requireNumber(value: unknown, keyPath: string, allowed = 'a finite number'): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ConfigError(keyPath, value, allowed);
  return value;
}

export function optionalNumber(value: unknown, fallback: number, keyPath: string): number {
  return value === undefined ? fallback : requireNumber(value, keyPath);
}

export function requireInteger(value: unknown, keyPath: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(keyPath, value, `an integer in ${min}..${max}`);
  }
  return value;
}

export function optionalInteger(value: unknown, fallback: number, keyPath: string, min: number, max?: number): number {
  return value === undefined ? fallback : requireInteger(value, keyPath, min, max);
}
