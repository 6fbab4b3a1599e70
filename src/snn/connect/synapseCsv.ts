import { readFileSync } from 'node:fs';
import { ConfigError, DecodeError } from '../../errors.ts';
import { SynapseListBuilder, type SynapseList } from '../synapseList.ts';
import type { PopulationRef } from './populationRef.ts';

/**
 * Reads an explicit synapse list `pre,post,w` (header required; an optional `delayMs` or `delayUs` column gives
 * per-synapse delays). Weights are parsed with Number(), so a value printed with repr round-trips exactly.
 */
export function readSynapseCsv(path: string, from: PopulationRef, to: PopulationRef, keyPath: string): SynapseList {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`${keyPath}.synapses`, path, 'a readable CSV file pre,post,w', { cause: error });
  }
  const lines = text.split(/\r?\n/);
  const header = lines[0].split(',').map((s) => s.trim());
  const col = (name: string): number => header.indexOf(name);
  const [iPre, iPost, iW] = [col('pre'), col('post'), col('w')];
  if (iPre < 0 || iPost < 0 || iW < 0) {
    throw new DecodeError(path, 0, `a header with columns pre,post,w (found "${lines[0]}")`);
  }
  const iDelayMs = col('delayMs');
  const iDelayUs = col('delayUs');
  const delayScale = iDelayUs >= 0 ? 1 : 1000;
  const iDelay = iDelayUs >= 0 ? iDelayUs : iDelayMs;
  const out = new SynapseListBuilder();
  const delays: number[] = [];
  let offset = lines[0].length + 1;
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n];
    if (line.trim() !== '') {
      const f = line.split(',');
      const pre = Number(f[iPre]);
      const post = Number(f[iPost]);
      const w = Number(f[iW]);
      if (!Number.isInteger(pre) || pre < 0 || pre >= from.size) {
        throw new DecodeError(path, offset, `line ${n + 1}: pre must be an integer in 0..${from.size - 1} (${from.name}), got "${f[iPre]}"`);
      }
      if (!Number.isInteger(post) || post < 0 || post >= to.size) {
        throw new DecodeError(path, offset, `line ${n + 1}: post must be an integer in 0..${to.size - 1} (${to.name}), got "${f[iPost]}"`);
      }
      if (!Number.isFinite(w)) throw new DecodeError(path, offset, `line ${n + 1}: w must be a finite number, got "${f[iW]}"`);
      out.add(pre, post, w);
      if (iDelay >= 0) {
        const d = Math.round(Number(f[iDelay]) * delayScale);
        if (!Number.isFinite(d) || d < 0) throw new DecodeError(path, offset, `line ${n + 1}: delay must be >= 0, got "${f[iDelay]}"`);
        delays.push(d);
      }
    }
    offset += line.length + 1;
  }
  const list = out.finish();
  if (iDelay >= 0) list.delayUs = Float64Array.from(delays);
  return list;
}
