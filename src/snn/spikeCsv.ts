import { DecodeError } from '../errors.ts';
import type { SpikeBatch } from '../events/spikeBatch.ts';

/**
 * Spike CSV files (DESIGN.md): a header naming at least `neuron` and `t_us`; other columns are ignored, except an
 * optional `population` column, which names the (single) population the spikes belong to instead of
 * `population`. Rows need not be sorted: they are sorted by (t_us, neuron) on reading.
 */
export function parseSpikeCsv(text: string, file: string, population: string): SpikeBatch {
  const lines = text.split('\n');
  const header = lines[0].replace(/\r$/, '').split(',').map((s) => s.trim());
  const iNeuron = header.indexOf('neuron');
  const iTime = header.indexOf('t_us');
  if (iNeuron < 0 || iTime < 0) throw new DecodeError(file, 0, `a header with columns neuron,t_us (found "${lines[0]}")`);
  const iPopulation = header.indexOf('population');
  let named: string | null = null;
  const t: number[] = [];
  const neuron: number[] = [];
  let offset = lines[0].length + 1;
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n];
    if (line.trim() !== '') {
      const f = line.split(',');
      const j = Number(f[iNeuron]);
      const us = Number(f[iTime]);
      if (!Number.isInteger(j) || j < 0 || j > 0xffffffff) {
        throw new DecodeError(file, offset, `line ${n + 1}: neuron must be a non-negative integer, got "${f[iNeuron]}"`);
      }
      if (!Number.isInteger(us)) throw new DecodeError(file, offset, `line ${n + 1}: t_us must be an integer (µs), got "${f[iTime]}"`);
      if (iPopulation >= 0) {
        const name = (f[iPopulation] ?? '').trim();
        if (named !== null && name !== named) {
          throw new DecodeError(file, offset, `line ${n + 1}: population "${name}" after "${named}" (one population per input file)`);
        }
        named = name;
      }
      t.push(us);
      neuron.push(j);
    }
    offset += line.length + 1;
  }
  const order = Array.from(t.keys()).sort((a, b) => t[a] - t[b] || neuron[a] - neuron[b]);
  const last = order.length === 0 ? 0 : t[order[order.length - 1]];
  return {
    t: Float64Array.from(order, (i) => t[i]),
    neuron: Uint32Array.from(order, (i) => neuron[i]),
    length: order.length,
    population: named ?? population,
    until: last + 1,
  };
}

/** `neuron,t_us` rows of one population's batches (already in time order). */
export function formatSpikeCsv(batches: readonly SpikeBatch[]): string {
  const parts: string[] = ['neuron,t_us\n'];
  for (const b of batches) for (let i = 0; i < b.length; i++) parts.push(`${b.neuron[i]},${b.t[i]}\n`);
  return parts.join('');
}
