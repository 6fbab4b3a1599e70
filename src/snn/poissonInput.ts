import { ConfigError } from '../errors.ts';
import type { SpikeBatch } from '../events/spikeBatch.ts';
import { createRandom } from './random.ts';

export interface PoissonOptions {
  neurons: number;
  rateHz: number;
  /** Spikes have 0 <= t < durationUs. */
  durationUs: number;
  /** Times are multiples of gridUs (1 = µs resolution); at most one spike per neuron per grid slot. */
  gridUs?: number;
  seed?: number;
  population?: string;
}

/**
 * Seeded Poisson spike trains (exponential inter-spike intervals per neuron, snapped to the grid), sorted by
 * (t, neuron): the pre-generated input of benchmarks and learning tests.
 */
export function poissonSpikes(options: PoissonOptions): SpikeBatch {
  const { neurons, rateHz, durationUs, gridUs = 1, seed = 1, population = 'in' } = options;
  if (!(rateHz >= 0)) throw new ConfigError('rateHz', rateHz, 'a rate >= 0');
  if (!Number.isInteger(gridUs) || gridUs < 1) throw new ConfigError('gridUs', gridUs, 'an integer >= 1');
  const random = createRandom(seed);
  const slots = Math.ceil(durationUs / gridUs);
  const meanIntervalUs = rateHz > 0 ? 1e6 / rateHz : Infinity;
  // First pass: spike slots per neuron, kept per neuron in one growable array.
  let slotOf = new Int32Array(Math.max(16, Math.ceil(neurons * (durationUs / meanIntervalUs) * 1.2)));
  let neuronOf = new Int32Array(slotOf.length);
  let n = 0;
  const perSlot = new Int32Array(slots + 1);
  for (let i = 0; i < neurons; i++) {
    let t = -Math.log(1 - random()) * meanIntervalUs;
    let lastSlot = -1;
    while (t < durationUs) {
      const slot = Math.floor(t / gridUs);
      if (slot !== lastSlot) {
        if (n === slotOf.length) {
          const s = new Int32Array(2 * n);
          s.set(slotOf);
          slotOf = s;
          const m = new Int32Array(2 * n);
          m.set(neuronOf);
          neuronOf = m;
        }
        slotOf[n] = slot;
        neuronOf[n++] = i;
        perSlot[slot + 1]++;
        lastSlot = slot;
      }
      t += -Math.log(1 - random()) * meanIntervalUs;
    }
  }
  // Counting sort by slot; neurons were generated in ascending order, so each slot stays sorted by neuron.
  for (let s = 0; s < slots; s++) perSlot[s + 1] += perSlot[s];
  const outT = new Float64Array(n);
  const outNeuron = new Uint32Array(n);
  for (let k = 0; k < n; k++) {
    const at = perSlot[slotOf[k]]++;
    outT[at] = slotOf[k] * gridUs;
    outNeuron[at] = neuronOf[k];
  }
  return { t: outT, neuron: outNeuron, length: n, population, until: durationUs };
}
