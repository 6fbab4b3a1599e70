import { createDecayTable, decayFactor, type DecayTable } from './decayTable.ts';
import type { LifParams } from './lifParams.ts';

/**
 * State of one LIF population, updated only when input arrives. `v[j]` is the potential at time `tLast[j]`;
 * while refractory, `tLast[j]` is the end of the refractory period (so `T < tLast[j]` means "discard input").
 *
 * Delta synapses add straight into `v` (decaying it on the first arrival of a timestamp), in arrival order, so
 * the floating-point sums are those of Brian2's `v_post += w`. Exponential synapses add into a current `I`
 * (through `acc`), and because such a neuron can cross threshold between inputs, the crossing time is predicted
 * and a wake-up entry is scheduled for it.
 */
export class LifPopulation {
  readonly size: number;
  readonly params: LifParams;
  readonly exponential: boolean;
  readonly v: Float64Array;
  readonly tLast: Float64Array;
  readonly current: Float64Array;
  readonly acc: Float64Array;
  /** Wake-up time scheduled for a neuron with exponential synapses (-1: none). */
  readonly wakeAt: Float64Array;
  readonly mark: Int32Array;
  readonly touched: Int32Array;
  nTouched = 0;
  readonly spiked: Int32Array;
  readonly decay: DecayTable;
  readonly decaySyn: DecayTable | null;

  constructor(size: number, params: LifParams) {
    this.size = size;
    this.params = params;
    this.exponential = params.tauSynUs > 0;
    this.v = new Float64Array(size).fill(params.vRest);
    this.tLast = new Float64Array(size);
    this.current = new Float64Array(this.exponential ? size : 0);
    this.acc = new Float64Array(this.exponential ? size : 0);
    this.wakeAt = new Float64Array(this.exponential ? size : 0).fill(-1);
    this.mark = new Int32Array(size);
    this.touched = new Int32Array(size);
    this.spiked = new Int32Array(size);
    this.decay = createDecayTable(params.tauUs);
    this.decaySyn = this.exponential ? createDecayTable(params.tauSynUs) : null;
  }

  /** Fan-out of one synapse row into delta-synapse neurons at time T (the hot loop). */
  deliverDelta(start: number, end: number, post: Int32Array, w: Float64Array, t: number, stamp: number): void {
    const v = this.v;
    const tLast = this.tLast;
    const mark = this.mark;
    const touched = this.touched;
    const table = this.decay.table;
    const tableLength = table.length;
    const tauUs = this.decay.tauUs;
    const vRest = this.params.vRest;
    let nTouched = this.nTouched;
    for (let s = start; s < end; s++) {
      const j = post[s];
      if (mark[j] !== stamp) {
        mark[j] = stamp;
        touched[nTouched++] = j;
        const dt = t - tLast[j];
        if (dt > 0) {
          v[j] = vRest + (v[j] - vRest) * (dt < tableLength ? table[dt] : Math.exp(-dt / tauUs));
          tLast[j] = t;
        }
      }
      v[j] += w[s];
    }
    this.nTouched = nTouched;
  }

  /** Fan-out into exponential-synapse neurons: arrivals are summed per neuron, applied in `update`. */
  deliverCurrent(start: number, end: number, post: Int32Array, w: Float64Array, stamp: number): void {
    const acc = this.acc;
    const mark = this.mark;
    for (let s = start; s < end; s++) {
      const j = post[s];
      if (mark[j] !== stamp) {
        mark[j] = stamp;
        this.touched[this.nTouched++] = j;
        acc[j] = w[s];
      } else {
        acc[j] += w[s];
      }
    }
  }

  /** Marks a neuron as touched at this timestamp without input (a scheduled wake-up). */
  touch(j: number, stamp: number): void {
    if (this.mark[j] !== stamp) {
      this.mark[j] = stamp;
      this.touched[this.nTouched++] = j;
      if (this.exponential) this.acc[j] = 0;
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
      for (let k = 0; k < this.nTouched; k++) {
        const j = touched[k];
        if (t < tLast[j]) {
          v[j] = vReset; // refractory: whatever arrived is discarded (v is clamped)
        } else if (v[j] > threshold) {
          v[j] = vReset;
          tLast[j] = t + refractoryUs;
          spiked[nSpiked++] = j;
        }
      }
    } else {
      for (let k = 0; k < this.nTouched; k++) {
        const j = touched[k];
        if (t < tLast[j]) continue; // refractory: input discarded
        this.advance(j, t);
        this.current[j] += this.acc[j];
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
