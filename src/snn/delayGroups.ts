import { buildCsr, type CsrTable } from './csr.ts';
import type { LifPopulation } from './lifPopulation.ts';
import type { Population } from './populations.ts';
import type { SynapseList } from './synapseList.ts';

/** One projection's synapses that share a delay, as a CSR table, with its target. */
export interface SynapseTable extends CsrTable {
  projection: number;
  target: LifPopulation;
  targetIndex: number;
  /** Presynaptic neuron of each CSR slot (for learning rules walking columns). */
  pre: Int32Array;
}

/**
 * All tables reached by the spikes of one population after one delay: a queue entry names a group, so a spike
 * costs one entry per distinct delay, whatever its fan-out.
 */
export interface DelayGroup {
  source: number;
  delayUs: number;
  tables: SynapseTable[];
}

/** Splits a projection's synapse list by delay and files the parts into the source population's groups. */
export function addProjectionTables(
  groups: DelayGroup[],
  index: Map<string, DelayGroup>,
  list: SynapseList,
  projection: number,
  from: Population,
  to: Population,
  delayUs: number,
): SynapseTable[] {
  const byDelay = new Map<number, number[]>();
  if (list.delayUs === null) {
    byDelay.set(delayUs, []);
  } else {
    for (let s = 0; s < list.length; s++) {
      const d = list.delayUs[s];
      let picks = byDelay.get(d);
      if (picks === undefined) byDelay.set(d, (picks = []));
      picks.push(s);
    }
  }
  const tables: SynapseTable[] = [];
  for (const [d, picks] of [...byDelay].sort((a, b) => a[0] - b[0])) {
    const pick = list.delayUs === null ? undefined : Int32Array.from(picks);
    const csr = buildCsr(from.size, list.pre, list.post, list.w, pick);
    const pre = new Int32Array(csr.post.length);
    for (let i = 0; i < from.size; i++) pre.fill(i, csr.rowPtr[i], csr.rowPtr[i + 1]);
    const table: SynapseTable = { ...csr, pre, projection, target: to.lif!, targetIndex: to.index };
    const key = `${from.index}:${d}`;
    let group = index.get(key);
    if (group === undefined) {
      groups.push((group = { source: from.index, delayUs: d, tables: [] }));
      index.set(key, group);
    }
    group.tables.push(table);
    tables.push(table);
  }
  return tables;
}
