import { ConfigError } from '../errors.ts';

/**
 * A small hand-written schema checker for pipeline files. A checker takes a JSON value and its key path
 * (`filters[1].windowUs`) and returns the typed value or throws a ConfigError naming the path, the value and
 * what is allowed. Objects refuse unknown keys and list the known ones.
 */
export type Checker<T> = (value: unknown, path: string) => T;

export function integer(min: number, max = Number.MAX_SAFE_INTEGER): Checker<number> {
  const allowed = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer in ${min}..${max}`;
  return (value, path) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new ConfigError(path, value, allowed);
    }
    return value;
  };
}

/** A finite number in [min, max]; with `exclusiveMin`, in (min, max]. */
export function number(min: number, max = Infinity, exclusiveMin = false): Checker<number> {
  const low = exclusiveMin ? `> ${min}` : `>= ${min}`;
  const allowed = max === Infinity ? `a number ${low}` : `a number ${low} and <= ${max}`;
  return (value, path) => {
    if (
      typeof value !== 'number' ||
      !Number.isFinite(value) ||
      (exclusiveMin ? value <= min : value < min) ||
      value > max
    ) {
      throw new ConfigError(path, value, allowed);
    }
    return value;
  };
}

export const boolean: Checker<boolean> = (value, path) => {
  if (typeof value !== 'boolean') throw new ConfigError(path, value, 'true or false');
  return value;
};

export const nonEmptyString: Checker<string> = (value, path) => {
  if (typeof value !== 'string' || value.length === 0) throw new ConfigError(path, value, 'a non-empty string');
  return value;
};

export function oneOf<const T extends string>(values: readonly T[]): Checker<T> {
  return (value, path) => {
    if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
      throw new ConfigError(path, value, `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`);
    }
    return value as T;
  };
}

export function arrayOf<T>(item: Checker<T>): Checker<T[]> {
  return (value, path) => {
    if (!Array.isArray(value)) throw new ConfigError(path, value, 'an array');
    return value.map((v, i) => item(v, `${path}[${i}]`));
  };
}

/** A plain JSON object (not null, not an array). */
export function plainObject(value: unknown, path: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ConfigError(path, value, 'an object');
  return value as Record<string, unknown>;
}


/**
 * An object with the given fields. Keys in `defaults` may be absent (the default is used, undefined for none);
 * every other field is required; keys not in `fields` are refused.
 */
export function object<T>(fields: { [K in keyof T]-?: Checker<T[K]> }, defaults: NoInfer<Partial<T>> = {}): Checker<T> {
  const known = Object.keys(fields);
  return (value, path) => {
    const input = plainObject(value, path);
    for (const key of Object.keys(input)) {
      if (!known.includes(key)) throw new ConfigError(join(path, key), input[key], `a known key: ${known.join(', ')}`);
    }
    const out: Record<string, unknown> = {};
    for (const key of known) {
      const v = input[key];
      if (v === undefined) {
        if (!(key in defaults)) {
          const allowed = describe(fields as Record<string, Checker<unknown>>, key);
          throw new ConfigError(join(path, key), undefined, `a required key: ${allowed}`);
        }
        out[key] = (defaults as Record<string, unknown>)[key];
      } else {
        out[key] = (fields as Record<string, Checker<unknown>>)[key](v, join(path, key));
      }
    }
    return out as T;
  };
}

/** An object whose `type` picks one of several shapes. */
export function tagged<T>(variants: Record<string, Checker<T>>, tagKey = 'type'): Checker<T> {
  const tags = Object.keys(variants);
  return (value, path) => {
    const input = plainObject(value, path);
    const tag = oneOf(tags)(input[tagKey], join(path, tagKey));
    return variants[tag](input, path);
  };
}

export function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function describe(fields: Record<string, Checker<unknown>>, key: string): string {
  try {
    fields[key](Symbol('probe'), key);
  } catch (error) {
    if (error instanceof ConfigError) return error.allowed;
  }
  return 'a value';
}
