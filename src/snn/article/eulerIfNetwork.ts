import { ConfigError } from '../../errors.ts';
import { buildCsr, type CsrTable } from '../csr.ts';

export interface EulerIfOptions {
  size: number;
  /** Synapses: pre -> post with weight w (any number per neuron, recurrent allowed). */
  synapses: { pre: ArrayLike<number>; post: ArrayLike<number>; w: ArrayLike<number> };
  tauMs: number;
  dtMs: number;
  threshold: number;
  vRest?: number;
  vReset?: number;
  /** Steps a neuron stays clamped at vReset after a spike. */
  refractorySteps?: number;
}

/**
 * The SNN article's first example, done right: integrate-and-fire neurons stepped by Euler,
 * v += dt * (-(v - vRest) + I) / tau, with I = external input + synaptic input that arrived this step; spike at
 * v >= threshold, reset, refractory countdown. A spike reaches EVERY outgoing synapse of the neuron (the
 * article's code stopped after the first one) and arrives at the next step.
 */
export class EulerIfNetwork {
  readonly v: Float64Array;
  private readonly options: Required<Omit<EulerIfOptions, 'synapses'>>;
  private readonly table: CsrTable;
  private readonly refractory: Int32Array;
  /** Synaptic input that arrives at the next step. */
  private pending: Float64Array;
  private arriving: Float64Array;
  stepCount = 0;

  constructor(options: EulerIfOptions) {
    const { size, synapses } = options;
    if (!Number.isInteger(size) || size < 1) throw new ConfigError('size', size, 'an integer >= 1');
    if (!(options.tauMs > 0) || !(options.dtMs > 0)) throw new ConfigError('tauMs/dtMs', [options.tauMs, options.dtMs], 'numbers > 0');
    this.options = { vRest: 0, vReset: 0, refractorySteps: 0, ...options, size };
    const pre = Int32Array.from(synapses.pre);
    const post = Int32Array.from(synapses.post);
    for (let s = 0; s < pre.length; s++) {
      if (!(pre[s] >= 0 && pre[s] < size && post[s] >= 0 && post[s] < size)) {
        throw new ConfigError(`synapses[${s}]`, [synapses.pre[s], synapses.post[s]], `neuron indices in 0..${size - 1}`);
      }
    }
    this.table = buildCsr(size, pre, post, Float64Array.from(synapses.w));
    this.v = new Float64Array(size).fill(this.options.vRest);
    this.refractory = new Int32Array(size);
    this.pending = new Float64Array(size);
    this.arriving = new Float64Array(size);
  }

  /** Advances one Euler step with external input currents (one per neuron); returns the neurons that spiked. */
  step(inputs: ArrayLike<number>): number[] {
    const { size, tauMs, dtMs, threshold, vRest, vReset, refractorySteps } = this.options;
    if (inputs.length !== size) throw new ConfigError('inputs.length', inputs.length, `${size} (one input per neuron)`);
    // Synaptic input emitted at the previous step arrives now; this step's spikes fill a fresh buffer.
    [this.arriving, this.pending] = [this.pending, this.arriving];
    this.pending.fill(0);
    const spiked: number[] = [];
    for (let i = 0; i < size; i++) {
      if (this.refractory[i] > 0) {
        this.refractory[i]--;
        this.v[i] = vReset;
        continue;
      }
      const current = inputs[i] + this.arriving[i];
      this.v[i] += (dtMs * (-(this.v[i] - vRest) + current)) / tauMs;
      if (this.v[i] >= threshold) {
        this.v[i] = vReset;
        this.refractory[i] = refractorySteps;
        spiked.push(i);
      }
    }
    const { rowPtr, post, w } = this.table;
    for (const i of spiked) {
      for (let s = rowPtr[i]; s < rowPtr[i + 1]; s++) this.pending[post[s]] += w[s];
    }
    this.stepCount++;
    return spiked;
  }
}
