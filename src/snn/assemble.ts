import { ConfigError } from '../errors.ts';
import { connectProjection } from './connect/connect.ts';
import { requireNumber } from './connect/options.ts';
import { addProjectionTables, type DelayGroup, type SynapseTable } from './delayGroups.ts';
import { createPopulation, type Population } from './populations.ts';
import { createQueue } from './queue/createQueue.ts';
import type { SpikeQueue } from './queue/spikeQueue.ts';
import type { NetworkSpec, ProjectionSpec } from './spec.ts';
import { StdpRule } from './stdp.ts';
import { readStdpParams } from './stdpParams.ts';

export interface NetworkParts {
  populations: Population[];
  groups: DelayGroup[];
  rules: { table: SynapseTable; rule: StdpRule }[];
  queue: SpikeQueue;
}

/** Turns a network spec into populations, delay-grouped CSR tables, learning rules and a queue. */
export function assembleNetwork(spec: NetworkSpec, baseDir: string): NetworkParts {
  if (spec === null || typeof spec !== 'object' || !Array.isArray(spec.populations) || spec.populations.length === 0) {
    throw new ConfigError('populations', spec?.populations, 'a non-empty array of populations');
  }
  const populations = spec.populations.map((p, i) => createPopulation(p, i, `populations[${i}]`));
  const names = new Set<string>();
  for (const p of populations) {
    if (names.has(p.name)) throw new ConfigError(`populations[${p.index}].name`, p.name, 'a name not used by another population');
    names.add(p.name);
  }
  const byName = (name: unknown, keyPath: string): Population => {
    const p = populations.find((q) => q.name === name);
    if (p === undefined) throw new ConfigError(keyPath, name, `one of ${populations.map((q) => q.name).join(', ')}`);
    return p;
  };
  const groups: DelayGroup[] = [];
  const groupIndex = new Map<string, DelayGroup>();
  const rules: NetworkParts['rules'] = [];
  const projections = spec.projections ?? [];
  if (!Array.isArray(projections)) throw new ConfigError('projections', projections, 'an array of projections');
  projections.forEach((projection, index) => {
    const keyPath = `projections[${index}]`;
    const from = byName(projection.from, `${keyPath}.from`);
    const to = byName(projection.to, `${keyPath}.to`);
    if (to.lif === null) throw new ConfigError(`${keyPath}.to`, to.name, 'a population that is not a spike source');
    const list = connectProjection(projection, from, to, baseDir, keyPath);
    const delayUs = list.delayUs === null ? readDelayUs(projection, keyPath) : 0;
    const tables = addProjectionTables(groups, groupIndex, list, index, from, to, delayUs);
    if (projection.plasticity !== undefined) {
      const params = readStdpParams(projection.plasticity, `${keyPath}.plasticity`);
      for (const table of tables) rules.push({ table, rule: new StdpRule(table, from.size, to.size, params) });
    }
  });
  const distinctDelays = new Set(groups.map((g) => g.delayUs)).size;
  const hasWakeUps = populations.some((p) => p.lif?.exponential === true);
  return { populations, groups, rules, queue: createQueue(spec.queue ?? 'auto', distinctDelays, Math.max(0, ...groups.map((g) => g.delayUs)), hasWakeUps) };
}

function readDelayUs(projection: ProjectionSpec, keyPath: string): number {
  let us: number;
  if (projection.delayUs !== undefined) us = requireNumber(projection.delayUs, `${keyPath}.delayUs`);
  else if (projection.delayMs !== undefined) us = requireNumber(projection.delayMs, `${keyPath}.delayMs`) * 1000;
  else throw new ConfigError(`${keyPath}.delayMs`, undefined, 'a delay in ms (or delayUs in µs) >= 0');
  us = Math.round(us);
  if (us < 0) throw new ConfigError(`${keyPath}.delayMs`, us / 1000, 'a delay >= 0');
  return us;
}
