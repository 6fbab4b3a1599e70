/**
 * A batch of spikes as struct-of-arrays: `neuron` indexes a population, `t` is integer microseconds.
 * Spikes are sorted by t, then neuron. Like EventBatch, a batch may be empty, never null.
 */
export interface SpikeBatch {
  readonly t: Float64Array;
  readonly neuron: Uint32Array;
  readonly length: number;
  /** Name of the population the neurons belong to. */
  readonly population: string;
  /** Simulated time up to which this batch is complete (µs): no later spike will have t < until. */
  readonly until: number;
}

export function emptySpikes(population: string, until: number): SpikeBatch {
  return { t: new Float64Array(0), neuron: new Uint32Array(0), length: 0, population, until };
}
