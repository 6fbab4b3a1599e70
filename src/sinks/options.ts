import { ConfigError } from '../errors.ts';

/** A sink as a pipeline file states it: a type and its options. */
export interface SinkSpec {
  readonly type: string;
  readonly [option: string]: unknown;
}

/**
 * Reads a sink's options with errors that name the key path (`sinks[2].port`), the value and what is allowed.
 * Unknown keys are errors too: a misspelt option must not be silently ignored.
 */
export class SinkOptions {
  constructor(
    private readonly spec: Record<string, unknown>,
    readonly keyPath: string,
    allowedKeys: readonly string[],
  ) {
    for (const key of Object.keys(spec)) {
      if (key !== 'type' && !allowedKeys.includes(key)) {
        throw new ConfigError(this.path(key), spec[key], `a known option: ${allowedKeys.join(', ') || '(none)'}`);
      }
    }
  }

  path(key: string): string {
    return `${this.keyPath}.${key}`;
  }

  string(key: string, fallback?: string): string {
    const value = this.spec[key] ?? fallback;
    if (typeof value !== 'string' || value.length === 0) throw new ConfigError(this.path(key), value, 'a non-empty string');
    return value;
  }

  optionalString(key: string): string | undefined {
    return this.spec[key] === undefined ? undefined : this.string(key);
  }

  integer(key: string, min: number, max: number, fallback?: number): number {
    const value = this.spec[key] ?? fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new ConfigError(this.path(key), value, `an integer in ${min}..${max}`);
    }
    return value;
  }

  optionalInteger(key: string, min: number, max: number): number | undefined {
    return this.spec[key] === undefined ? undefined : this.integer(key, min, max);
  }

  number(key: string, min: number, max: number, fallback?: number): number {
    const value = this.spec[key] ?? fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      throw new ConfigError(this.path(key), value, `a number in ${min}..${max}`);
    }
    return value;
  }

  boolean(key: string, fallback: boolean): boolean {
    const value = this.spec[key] ?? fallback;
    if (typeof value !== 'boolean') throw new ConfigError(this.path(key), value, 'true or false');
    return value;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
    const value = this.spec[key] ?? fallback;
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      throw new ConfigError(this.path(key), value, `one of ${allowed.join(', ')}`);
    }
    return value as T;
  }

  /** A list of distinct choices; absent means every choice. */
  subsetOf<T extends string>(key: string, allowed: readonly T[]): readonly T[] {
    const value = this.spec[key];
    if (value === undefined) return allowed;
    const ok = Array.isArray(value) && value.length > 0 && value.every((v) => (allowed as readonly unknown[]).includes(v));
    if (!ok) throw new ConfigError(this.path(key), value, `a non-empty list of ${allowed.join(', ')}`);
    return value as T[];
  }
}

/** Network sinks' answer to a consumer that is slower than the stream. */
export const slowConsumerPolicies = ['drop-oldest', 'block'] as const;
export type SlowConsumerPolicy = (typeof slowConsumerPolicies)[number];
