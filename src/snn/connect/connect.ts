import { isAbsolute, resolve } from 'node:path';
import { ConfigError } from '../../errors.ts';
import type { ProjectionSpec, SynapseArrays } from '../spec.ts';
import type { SynapseList } from '../synapseList.ts';
import { connectConv2d, connectLateralInhibition, connectPool2d } from './grid.ts';
import { requireNumber } from './options.ts';
import type { PopulationRef } from './populationRef.ts';
import { connectAllToAll, connectFixedFanout, connectOneToOne } from './simple.ts';
import { readSynapseCsv } from './synapseCsv.ts';

export const connectKinds = ['one-to-one', 'all-to-all', 'fixed-fanout', 'conv2d', 'pool2d', 'lateral-inhibition'] as const;

/** Builds the synapse list of one projection from its `synapses` file/arrays or its `connect` kind. */
export function connectProjection(
  spec: ProjectionSpec,
  from: PopulationRef,
  to: PopulationRef,
  baseDir: string,
  keyPath: string,
): SynapseList {
  if (spec.synapses !== undefined) {
    if (typeof spec.synapses === 'string') {
      const path = isAbsolute(spec.synapses) ? spec.synapses : resolve(baseDir, spec.synapses);
      return readSynapseCsv(path, from, to, keyPath);
    }
    return fromArrays(spec.synapses, from, to, keyPath);
  }
  const weight = () => requireNumber(spec.weight, `${keyPath}.weight`);
  switch (spec.connect) {
    case 'one-to-one':
      return connectOneToOne(from, to, weight(), keyPath);
    case 'all-to-all':
      return connectAllToAll(from, to, weight(), spec.excludeSelf === true);
    case 'fixed-fanout':
      return connectFixedFanout(from, to, spec.fanout, spec.seed, spec.weightRange ?? weight(), keyPath);
    case 'conv2d':
      return connectConv2d(from, to, spec, spec.weight === undefined ? 1 : weight(), keyPath);
    case 'pool2d':
      return connectPool2d(from, to, spec, weight(), keyPath);
    case 'lateral-inhibition':
      return connectLateralInhibition(from, to, spec, weight(), keyPath);
    default:
      throw new ConfigError(`${keyPath}.connect`, spec.connect, `one of ${connectKinds.join(', ')} (or a "synapses" CSV file)`);
  }
}

function fromArrays(arrays: SynapseArrays, from: PopulationRef, to: PopulationRef, keyPath: string): SynapseList {
  const n = arrays.pre.length;
  if (arrays.post.length !== n || arrays.w.length !== n || (arrays.delayUs && arrays.delayUs.length !== n)) {
    throw new ConfigError(`${keyPath}.synapses`, `${n} pre`, 'arrays pre, post, w (and delayUs) of equal length');
  }
  const pre = Int32Array.from(arrays.pre);
  const post = Int32Array.from(arrays.post);
  for (let s = 0; s < n; s++) {
    if (!(pre[s] >= 0 && pre[s] < from.size && pre[s] === arrays.pre[s])) throw new ConfigError(`${keyPath}.synapses.pre[${s}]`, arrays.pre[s], `0..${from.size - 1}`);
    if (!(post[s] >= 0 && post[s] < to.size && post[s] === arrays.post[s])) throw new ConfigError(`${keyPath}.synapses.post[${s}]`, arrays.post[s], `0..${to.size - 1}`);
  }
  return {
    pre,
    post,
    w: Float64Array.from(arrays.w),
    delayUs: arrays.delayUs ? Float64Array.from(arrays.delayUs, (d) => Math.round(d)) : null,
    length: n,
  };
}
