import type { SpikeBatch } from '../events/spikeBatch.ts';

/** Growable (t, neuron) arrays for the spikes one population emits during one `run` call. */
export class SpikeRecorder {
  private t = new Float64Array(64);
  private neuron = new Uint32Array(64);
  length = 0;

  add(t: number, neuron: number): void {
    if (this.length === this.t.length) this.grow(this.length + 1);
    this.t[this.length] = t;
    this.neuron[this.length++] = neuron;
  }

  /** Many spikes at once (the wasm engine's output buffer): two block copies instead of a call per spike. */
  addAll(t: Float64Array, neuron: Int32Array | Uint32Array): void {
    const n = t.length;
    if (this.length + n > this.t.length) this.grow(this.length + n);
    this.t.set(t, this.length);
    this.neuron.set(neuron, this.length);
    this.length += n;
  }

  private grow(capacity: number): void {
    let size = this.t.length * 2;
    while (size < capacity) size *= 2;
    const grownT = new Float64Array(size);
    grownT.set(this.t.subarray(0, this.length));
    const grownN = new Uint32Array(size);
    grownN.set(this.neuron.subarray(0, this.length));
    this.t = grownT;
    this.neuron = grownN;
  }

  /** Hands out the spikes as a batch sorted by (t, neuron) and starts empty again. */
  take(population: string, until: number): SpikeBatch {
    const n = this.length;
    let t: Float64Array = this.t.slice(0, n);
    let neuron: Uint32Array = this.neuron.slice(0, n);
    if (!isSorted(t, neuron)) [t, neuron] = sortByTimeThenNeuron(t, neuron);
    this.length = 0;
    return { t, neuron, length: n, population, until };
  }
}

function isSorted(t: Float64Array, neuron: Uint32Array): boolean {
  for (let i = 1; i < t.length; i++) {
    if (t[i] < t[i - 1] || (t[i] === t[i - 1] && neuron[i] < neuron[i - 1])) return false;
  }
  return true;
}

function sortByTimeThenNeuron(t: Float64Array, neuron: Uint32Array): [Float64Array, Uint32Array] {
  const order = Array.from({ length: t.length }, (_, i) => i).sort((a, b) => t[a] - t[b] || neuron[a] - neuron[b]);
  return [Float64Array.from(order, (i) => t[i]), Uint32Array.from(order, (i) => neuron[i])];
}
