import { createDecayTable, decayFactor, type DecayTable } from './decayTable.ts';
import { deltaLifStep } from './deltaLifStep.ts';
import type { LifParams } from './lifParams.ts';

/**
 * State of one LIF population, updated only when input arrives. `v[j]` is the potential at time `tLast[j]`;
 * while refractory, `tLast[j]` is the end of the refractory period (so `T < tLast[j]` means "discard input").
 *
 * All arrivals of one timestamp are first summed per neuron (`acc`), then each touched neuron is updated once:
 * delta synapses add the sum to the decayed potential, exponential synapses add it to the current `I`. Because
 * an exponential-synapse neuron can cross threshold between inputs, its crossing time is predicted and a
 * wake-up entry is scheduled for it.
 */
export class LifPopulation {
  readonly size: number;
  readonly params: LifParams;
  readonly exponential: boolean;
  // Not readonly: the wasm engine moves these arrays into its memory and re-points them when the memory grows.
  v: Float64Array;
  tLast: Float64Array;
  readonly current: Float64Array;
  acc: Float64Array;
  /** Wake-up time scheduled for a neuron with exponential synapses (-1: none). */
  readonly wakeAt: Float64Array;
  /** 1 while a neuron is in the touched list of the current timestamp. */
  mark: Uint8Array;
  touched: Int32Array;
  nTouched = 0;
  spiked: Int32Array;
  readonly decay: DecayTable;
  readonly decaySyn: DecayTable | null;

  constructor(size: number, params: LifParams) {
    this.size = size;
    this.params = params;
    this.exponential = params.tauSynUs > 0;
    this.v = new Float64Array(size).fill(params.vRest);
    this.tLast = new Float64Array(size);
    this.current = new Float64Array(this.exponential ? size : 0);
    this.acc = new Float64Array(size);
    this.wakeAt = new Float64Array(this.exponential ? size : 0).fill(-1);
    this.mark = new Uint8Array(size);
    this.touched = new Int32Array(size + 1); // +1: the branch-free append writes one slot past the count
    this.spiked = new Int32Array(size);
    this.decay = createDecayTable(params.tauUs);
    this.decaySyn = this.exponential ? createDecayTable(params.tauSynUs) : null;
  }

  /**
   * Fan-out of one synapse row at the current timestamp (the hot loop): arrivals are summed per neuron into
   * `acc`, and each neuron enters the touched list once. Branch-free: the list slot is always written and the
   * count only advances when the neuron was not marked yet (marks are cleared by `update`).
   */
  deliver(start: number, end: number, post: Int32Array, w: Float64Array): void {
    const acc = this.acc;
    const mark = this.mark;
    const touched = this.touched;
    let nTouched = this.nTouched;
    for (let s = start; s < end; s++) {
      const j = post[s];
      acc[j] += w[s];
      touched[nTouched] = j;
      nTouched += 1 - mark[j];
      mark[j] = 1;
    }
    this.nTouched = nTouched;
  }

  /** Marks a neuron as touched at this timestamp without input (a scheduled wake-up). */
  touch(j: number): void {
    if (this.mark[j] === 0) {
      this.mark[j] = 1;
      this.touched[this.nTouched++] = j;
    }
  }

  /**
   * Threshold test of every neuron touched at time T. Writes the spiking neurons, ascending, to `spiked` and
   * returns how many. `schedule(j, tWake)` is called for exponential-synapse neurons that will cross later.
   */
  update(t: number, schedule: (j: number, tWake: number) => void): number {
    const { v, tLast, touched, spiked } = this;
    const { threshold, vReset, refractoryUs } = this.params;
    let nSpiked = 0;
    if (!this.exponential) {
      nSpiked = deltaLifStep(this, this.nTouched, t, this.params, this.decay);
    } else {
      for (let k = 0; k < this.nTouched; k++) {
        const j = touched[k];
        const input = this.acc[j];
        this.acc[j] = 0;
        this.mark[j] = 0;
        if (t < tLast[j]) continue; // refractory: input discarded
        this.advance(j, t);
        this.current[j] += input;
        if (v[j] > threshold) {
          v[j] = vReset;
          this.current[j] *= decayFactor(this.decaySyn!, refractoryUs);
          tLast[j] = t + refractoryUs;
          spiked[nSpiked++] = j;
        }
        const wake = this.predictCrossing(j);
        this.wakeAt[j] = wake;
        if (wake >= 0) schedule(j, wake);
      }
    }
    this.nTouched = 0;
    if (nSpiked > 1) spiked.subarray(0, nSpiked).sort();
    return nSpiked;
  }

  /** Potential of an exponential-synapse neuron `dt` µs after tLast (the one formula used everywhere). */
  potentialAfter(j: number, dt: number): number {
    const { tauUs, tauSynUs, vRest } = this.params;
    const u0 = this.v[j] - vRest;
    const i0 = this.current[j];
    const em = decayFactor(this.decay, dt);
    if (i0 === 0) return vRest + u0 * em;
    if (tauUs === tauSynUs) return vRest + (u0 + (i0 * dt) / tauUs) * em;
    const a = (i0 * tauSynUs) / (tauSynUs - tauUs);
    return vRest + a * decayFactor(this.decaySyn!, dt) + (u0 - a) * em;
  }

  private advance(j: number, t: number): void {
    const dt = t - this.tLast[j];
    if (dt <= 0) return;
    this.v[j] = this.potentialAfter(j, dt);
    this.current[j] *= decayFactor(this.decaySyn!, dt);
    this.tLast[j] = t;
  }

  /** First integer time after tLast at which v > threshold with no further input, or -1. */
  private predictCrossing(j: number): number {
    const i0 = this.current[j];
    if (!(i0 > 0)) return -1; // without positive current v only relaxes towards rest (<= threshold)
    const { tauUs: tm, tauSynUs: ts, vRest, threshold } = this.params;
    const u0 = this.v[j] - vRest;
    let peak: number;
    if (tm === ts) {
      peak = tm * (1 - u0 / i0);
    } else {
      const a = (i0 * ts) / (ts - tm);
      const ratio = (-(u0 - a) * ts) / (a * tm);
      peak = ratio > 0 ? Math.log(ratio) / (1 / tm - 1 / ts) : 0;
    }
    if (!(peak > 0)) return -1;
    let hi = Math.max(1, Math.floor(peak));
    if (this.potentialAfter(j, hi + 1) > this.potentialAfter(j, hi)) hi++;
    if (!(this.potentialAfter(j, hi) > threshold)) return -1;
    let lo = 0; // v(lo) <= threshold (it did not spike at tLast)
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.potentialAfter(j, mid) > threshold) hi = mid;
      else lo = mid;
    }
    return this.tLast[j] + hi;
  }
}
