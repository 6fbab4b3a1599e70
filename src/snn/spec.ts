/**
 * The JSON network file of `spikeflow simulate` (DESIGN.md contract), as TypeScript types.
 * More keys may exist in a file; unknown keys are ignored.
 */

/** A population of spike sources (fed from an input SpikeBatch) or of LIF neurons. */
export interface PopulationSpec {
  name: string;
  size?: number;
  /** "source" (input spikes) or "lif". */
  model: string;
  /** [width, height, channels]: neuron index = (c * H + y) * W + x. Implies size = W*H*C. */
  shape?: [number, number, number];
  tauMs?: number;
  threshold?: number;
  vRest?: number;
  vReset?: number;
  refractoryMs?: number;
  /** "delta" (default: v jumps by w) or "exponential" (current I jumps by w, decays with tauSynMs). */
  synapse?: string;
  tauSynMs?: number;
}

/** Pair-based STDP on a projection (trace-based, event-driven). */
export interface PlasticitySpec {
  /** "stdp" (weights change directly) or "rstdp" (changes go to eligibility traces; `Network.reward` applies them). */
  rule: string;
  /** "additive" (default) or "multiplicative" (soft bounds). */
  mode?: string;
  /** "all" (default: every pre/post pair counts, traces add up) or "nearest" (traces reset to 1 on a spike). */
  pairing?: string;
  tauPlusMs?: number;
  tauMinusMs?: number;
  aPlus: number;
  aMinus: number;
  wMin?: number;
  wMax: number;
  /** R-STDP only: eligibility time constant and learning rate. */
  tauEligibilityMs?: number;
  learningRate?: number;
}

export interface ProjectionSpec {
  from: string;
  to: string;
  /** A CSV file `pre,post,w[,delayMs|delayUs]` relative to the network file, or (programmatic use) arrays. */
  synapses?: string | SynapseArrays;
  connect?: string;
  weight?: number;
  delayMs?: number;
  delayUs?: number;
  excludeSelf?: boolean;
  fanout?: number;
  /** fixed-fanout: uniform random weights in [lo, hi) instead of one `weight`. */
  weightRange?: [number, number];
  seed?: number;
  kernel?: number[][];
  stride?: number;
  mergeChannels?: boolean;
  size?: number;
  radius?: number;
  plasticity?: PlasticitySpec;
}

export interface NetworkSpec {
  populations: PopulationSpec[];
  projections?: ProjectionSpec[];
  /** Scheduler queue: "auto" (default), "heap", "fifo" (single delay only) or "bucket". */
  queue?: string;
  /** Scheduler engine: "auto" (default: WebAssembly when the network fits it), "js" or "wasm". */
  engine?: string;
}

/** Synapses given directly as arrays (benchmarks, tests, generated networks). */
export interface SynapseArrays {
  pre: ArrayLike<number>;
  post: ArrayLike<number>;
  w: ArrayLike<number>;
  delayUs?: ArrayLike<number>;
}
