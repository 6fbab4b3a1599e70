/**
 * A per-neuron exponentially decaying spike count: each spike adds 1, and the value decays with time constant
 * `tauUs`. Decay is applied lazily (value and time of last update per neuron), so a spike costs one exp and a
 * snapshot costs one exp per neuron. With `tauUs = Infinity` it is a plain count (cleared by `reset`).
 */
export class ActivityTrace {
  readonly value: Float64Array;
  private readonly lastT: Float64Array;

  constructor(
    readonly size: number,
    readonly tauUs: number,
  ) {
    this.value = new Float64Array(size);
    this.lastT = new Float64Array(size);
  }

  /** Adds spikes `start..end` (neuron indices and times). Neurons outside 0..size-1 are ignored. */
  add(t: Float64Array, neuron: Uint32Array, start: number, end: number): void {
    const { value, lastT, tauUs, size } = this;
    const decays = Number.isFinite(tauUs);
    for (let i = start; i < end; i++) {
      const n = neuron[i];
      if (n >= size) continue;
      const ti = t[i];
      if (decays && value[n] !== 0) value[n] *= Math.exp(-(ti - lastT[n]) / tauUs);
      value[n] += 1;
      lastT[n] = ti;
    }
  }

  /** The trace of every neuron at time t, written into `out` (length `size`). */
  snapshot(t: number, out: Float32Array): Float32Array {
    const { value, lastT, tauUs, size } = this;
    if (!Number.isFinite(tauUs)) {
      for (let n = 0; n < size; n++) out[n] = value[n];
      return out;
    }
    for (let n = 0; n < size; n++) {
      const v = value[n];
      out[n] = v === 0 ? 0 : v * Math.exp(-(t - lastT[n]) / tauUs);
    }
    return out;
  }

  reset(): void {
    this.value.fill(0);
  }
}
