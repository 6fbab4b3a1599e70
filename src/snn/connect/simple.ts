import { ConfigError } from '../../errors.ts';
import { createRandom } from '../random.ts';
import { SynapseListBuilder, type SynapseList } from '../synapseList.ts';
import { requireInteger } from './options.ts';
import type { PopulationRef } from './populationRef.ts';

/** Neuron i of `from` to neuron i of `to`. */
export function connectOneToOne(from: PopulationRef, to: PopulationRef, weight: number, keyPath: string): SynapseList {
  if (from.size !== to.size) {
    throw new ConfigError(`${keyPath}.connect`, 'one-to-one', `populations of equal size (${from.name}: ${from.size}, ${to.name}: ${to.size})`);
  }
  const out = new SynapseListBuilder();
  for (let i = 0; i < from.size; i++) out.add(i, i, weight);
  return out.finish();
}

/** Every pre to every post, optionally without i -> i. */
export function connectAllToAll(from: PopulationRef, to: PopulationRef, weight: number, excludeSelf: boolean): SynapseList {
  const out = new SynapseListBuilder();
  for (let i = 0; i < from.size; i++) {
    for (let j = 0; j < to.size; j++) if (!excludeSelf || i !== j) out.add(i, j, weight);
  }
  return out.finish();
}

/**
 * Each pre connects to `fanout` distinct random posts (seeded). Weights are `weight`, or uniform in
 * [weightRange[0], weightRange[1]) drawn from the same generator after the targets.
 */
export function connectFixedFanout(
  from: PopulationRef,
  to: PopulationRef,
  fanoutValue: unknown,
  seedValue: unknown,
  weight: number | readonly [number, number],
  keyPath: string,
): SynapseList {
  const fanout = requireInteger(fanoutValue, `${keyPath}.fanout`, 0, to.size);
  const seed = seedValue === undefined ? 1 : requireInteger(seedValue, `${keyPath}.seed`, 0, 2 ** 32 - 1);
  const random = createRandom(seed);
  const taken = new Int32Array(to.size).fill(-1);
  const out = new SynapseListBuilder();
  for (let i = 0; i < from.size; i++) {
    for (let k = 0; k < fanout; k++) {
      let j = Math.floor(random() * to.size);
      while (taken[j] === i) j = Math.floor(random() * to.size);
      taken[j] = i;
      const w = typeof weight === 'number' ? weight : weight[0] + (weight[1] - weight[0]) * random();
      out.add(i, j, w);
    }
  }
  return out.finish();
}
