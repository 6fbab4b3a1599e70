import { ConfigError } from '../../errors.ts';

export interface DecayNeuronOptions {
  /** One weight per input line. */
  weights: ArrayLike<number>;
  /** Factor the potential is multiplied by each step (0..1). */
  decay: number;
  threshold: number;
}

/**
 * The SNN article's second example, done right: each step v <- v * decay + sum_i inputs[i] * weights[i] (each
 * line with its OWN weight; the article's code used weights[0] for every line), fire when v >= threshold and
 * reset to 0.
 */
export class DecayNeuron {
  readonly weights: Float64Array;
  readonly decay: number;
  readonly threshold: number;
  v = 0;

  constructor(options: DecayNeuronOptions) {
    if (!(options.decay >= 0 && options.decay <= 1)) throw new ConfigError('decay', options.decay, 'a factor in 0..1');
    if (options.weights.length === 0) throw new ConfigError('weights', [], 'at least one weight');
    this.weights = Float64Array.from(options.weights);
    this.decay = options.decay;
    this.threshold = options.threshold;
  }

  /** One step with the current value of every input line; returns whether the neuron fired. */
  step(inputs: ArrayLike<number>): boolean {
    if (inputs.length !== this.weights.length) {
      throw new ConfigError('inputs.length', inputs.length, `${this.weights.length} (one value per input line)`);
    }
    let drive = 0;
    for (let i = 0; i < inputs.length; i++) drive += inputs[i] * this.weights[i];
    this.v = this.v * this.decay + drive;
    if (this.v >= this.threshold) {
      this.v = 0;
      return true;
    }
    return false;
  }
}
