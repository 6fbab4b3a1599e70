import { ConfigError } from '../errors.ts';
import { requireInteger } from './connect/options.ts';
import type { PopulationRef } from './connect/populationRef.ts';
import type { Shape } from './connect/shape.ts';
import { readLifParams } from './lifParams.ts';
import { LifPopulation } from './lifPopulation.ts';
import type { PopulationSpec } from './spec.ts';

export const neuronModels = ['source', 'lif'] as const;

/** A population as the engine holds it: a spike source, or LIF state. */
export interface Population extends PopulationRef {
  index: number;
  /** Null for a source population. */
  lif: LifPopulation | null;
}

export function createPopulation(spec: PopulationSpec, index: number, keyPath: string): Population {
  if (typeof spec?.name !== 'string' || spec.name === '') throw new ConfigError(`${keyPath}.name`, spec?.name, 'a non-empty string');
  const shape = readShape(spec, keyPath);
  const size = shape[0] * shape[1] * shape[2];
  const base = { name: spec.name, size, shape, hasShape: spec.shape !== undefined, index };
  if (spec.model === 'source') return { ...base, lif: null };
  if (spec.model === 'lif') return { ...base, lif: new LifPopulation(size, readLifParams(spec, keyPath)) };
  throw new ConfigError(`${keyPath}.model`, spec.model, `one of ${neuronModels.join(', ')}`);
}

function readShape(spec: PopulationSpec, keyPath: string): Shape {
  if (spec.shape !== undefined) {
    if (!Array.isArray(spec.shape) || spec.shape.length !== 3) {
      throw new ConfigError(`${keyPath}.shape`, spec.shape, '[width, height, channels] of positive integers');
    }
    const [w, h, c] = spec.shape.map((n, i) => requireInteger(n, `${keyPath}.shape[${i}]`, 1));
    if (spec.size !== undefined && spec.size !== w * h * c) {
      throw new ConfigError(`${keyPath}.size`, spec.size, `width*height*channels of its shape (${w * h * c})`);
    }
    return [w, h, c];
  }
  return [requireInteger(spec.size, `${keyPath}.size`, 1, 2 ** 31 - 1), 1, 1];
}
