/**
 * A per-neuron exponentially decaying spike count: each spike adds 1, and the value decays with time constant
 * `tauUs`. Decay is applied lazily (value and time of last update per neuron), so a spike costs one decay factor
 * and a snapshot one per active neuron. With `tauUs = Infinity` it is a plain count (cleared by `reset`).
 *
 * Times are integer µs in practice, so decay factors come from a table of exp(-k / tau) built with the very
 * expression of the fallback: the same doubles as calling Math.exp, without the call. Gaps that are not an
 * integer or beyond the table (several tau) call Math.exp.
 */
export class ActivityTrace {
  readonly value: Float64Array;
  private readonly lastT: Float64Array;
  private readonly decay: Float64Array;

  constructor(
    readonly size: number,
    readonly tauUs: number,
  ) {
    this.value = new Float64Array(size);
    this.lastT = new Float64Array(size);
    this.decay = decayTable(tauUs);
  }

  /** Adds spikes `start..end` (neuron indices and times). Neurons outside 0..size-1 are ignored. */
  add(t: Float64Array, neuron: Uint32Array, start: number, end: number): void {
    const { value, lastT, tauUs, size, decay } = this;
    const decays = Number.isFinite(tauUs);
    const entries = decay.length;
    for (let i = start; i < end; i++) {
      const n = neuron[i];
      if (n >= size) continue;
      const ti = t[i];
      if (decays && value[n] !== 0) {
        const dt = ti - lastT[n];
        const k = dt >>> 0;
        value[n] *= k === dt && k < entries ? decay[k] : Math.exp(-dt / tauUs);
      }
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
    const decay = this.decay;
    const entries = decay.length;
    for (let n = 0; n < size; n++) {
      const v = value[n];
      if (v === 0) {
        out[n] = 0;
        continue;
      }
      const dt = t - lastT[n];
      const k = dt >>> 0;
      out[n] = v * (k === dt && k < entries ? decay[k] : Math.exp(-dt / tauUs));
    }
    return out;
  }

  reset(): void {
    this.value.fill(0);
  }
}

/** Tables of exp(-k / tau) per time constant, shared by every trace of the process (512 kB each at most). */
const tables = new Map<number, Float64Array>();
const MAX_ENTRIES = 1 << 16;

function decayTable(tauUs: number): Float64Array {
  if (!Number.isFinite(tauUs) || !(tauUs > 0)) return new Float64Array(0);
  let table = tables.get(tauUs);
  if (!table) {
    table = new Float64Array(Math.min(MAX_ENTRIES, Math.ceil(8 * tauUs) + 1));
    // -k / tauUs: the same expression as the fallback's -dt / tauUs, so the same double.
    for (let k = 0; k < table.length; k++) table[k] = Math.exp(-k / tauUs);
    tables.set(tauUs, table);
  }
  return table;
}
