import { ConfigError } from '../errors.ts';

/**
 * Option checking shared by every operator. Options may come from a pipeline file (plain JSON), so each
 * value is checked at run time and a bad one becomes a ConfigError naming `keyPath.key`, the value and what
 * is allowed. Unknown keys are refused too: a typo in a pipeline file must not be silently ignored.
 */
export type Options = Readonly<Record<string, unknown>>;

export function checkKeys(options: unknown, keyPath: string, allowed: readonly string[]): Options {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ConfigError(keyPath, options, 'an object of options');
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      const list = allowed.length > 0 ? allowed.join(', ') : 'no options';
      throw new ConfigError(`${keyPath}.${key}`, (options as Options)[key], `an unknown option; known: ${list}`);
    }
  }
  return options as Options;
}

export interface NumberRule {
  readonly min?: number;
  readonly max?: number;
  /** Whether `min` itself is refused (e.g. a speed must be > 0). */
  readonly minExclusive?: boolean;
  readonly integer?: boolean;
}

export function numberOption(options: Options, key: string, keyPath: string, rule: NumberRule, fallback?: number): number {
  const value = options[key];
  if (value === undefined && fallback !== undefined) return fallback;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!rule.integer || Number.isInteger(value)) &&
    (rule.min === undefined || (rule.minExclusive ? value > rule.min : value >= rule.min)) &&
    (rule.max === undefined || value <= rule.max);
  if (!ok) throw new ConfigError(`${keyPath}.${key}`, value, describeRule(rule));
  return value;
}

export function booleanOption(options: Options, key: string, keyPath: string, fallback: boolean): boolean {
  const value = options[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new ConfigError(`${keyPath}.${key}`, value, 'true or false');
  return value;
}

export function choiceOption<T extends string | number>(
  options: Options,
  key: string,
  keyPath: string,
  choices: readonly T[],
  fallback?: T,
): T {
  const value = options[key];
  if (value === undefined && fallback !== undefined) return fallback;
  if (!choices.includes(value as T)) {
    throw new ConfigError(`${keyPath}.${key}`, value, `one of ${choices.map((c) => JSON.stringify(c)).join(', ')}`);
  }
  return value as T;
}

function describeRule(rule: NumberRule): string {
  const kind = rule.integer ? 'an integer' : 'a finite number';
  const low = rule.min === undefined ? '' : `${rule.minExclusive ? '>' : '>='} ${rule.min}`;
  const high = rule.max === undefined ? '' : `<= ${rule.max}`;
  const range = [low, high].filter(Boolean).join(' and ');
  return range ? `${kind} ${range}` : kind;
}
