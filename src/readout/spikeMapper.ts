import type { SpikeBatch } from '../events/spikeBatch.ts';
import { ActivityTrace } from './activityTrace.ts';

/** Counts per window, or exponentially decaying traces, of a population's spikes. */
export interface SpikeMapOptions {
  readonly mode: 'count' | 'trace';
  /** One map per this much event time (µs); in 'count' mode also the counting window. */
  readonly periodUs: number;
  /** Trace time constant in 'trace' mode (µs). */
  readonly tauUs: number;
}

export interface SpikeMapFrame {
  /** The map covers spikes with t < t. */
  readonly t: number;
  readonly values: Float32Array;
}

/**
 * Turns a population's spikes into one map per period: values per neuron at times that are multiples of
 * `periodUs`. The first map is due at the first multiple after the first spike (or `firstT`).
 */
export class SpikeMapper {
  private readonly trace: ActivityTrace;
  private nextT = NaN;

  constructor(
    readonly size: number,
    readonly options: SpikeMapOptions,
  ) {
    this.trace = new ActivityTrace(size, options.mode === 'count' ? Infinity : options.tauUs);
  }

  push(spikes: SpikeBatch, until: number = spikes.until, firstT?: number): SpikeMapFrame[] {
    const period = this.options.periodUs;
    if (Number.isNaN(this.nextT)) {
      const start = spikes.length > 0 ? spikes.t[0] : firstT;
      if (start === undefined) return [];
      this.nextT = (Math.floor(start / period) + 1) * period;
    }
    const frames: SpikeMapFrame[] = [];
    let i = 0;
    while (this.nextT <= until) {
      let j = i;
      while (j < spikes.length && spikes.t[j] < this.nextT) j++;
      this.trace.add(spikes.t, spikes.neuron, i, j);
      i = j;
      frames.push({ t: this.nextT, values: this.trace.snapshot(this.nextT, new Float32Array(this.size)) });
      if (this.options.mode === 'count') this.trace.reset();
      this.nextT += period;
    }
    this.trace.add(spikes.t, spikes.neuron, i, spikes.length);
    return frames;
  }
}
