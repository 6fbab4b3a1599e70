import { describe, expect, it } from 'vitest';
import { DecayNeuron } from '../../src/snn/article/decayNeuron.ts';
import { EulerIfNetwork } from '../../src/snn/article/eulerIfNetwork.ts';

describe('article model 1: Euler-stepped integrate-and-fire network', () => {
  const make = () =>
    new EulerIfNetwork({
      size: 4,
      // Neuron 0 fans out to 1, 2 and 3 (three synapses from one neuron).
      synapses: { pre: [0, 0, 0], post: [1, 2, 3], w: [50, 60, 70] },
      tauMs: 10,
      dtMs: 1,
      threshold: 1,
      refractorySteps: 2,
    });

  it('charges like the Euler recurrence and fires at the first step with v >= threshold', () => {
    // v_n = I (1 - (1 - dt/tau)^n) with I = 2: v_n >= 1 first at n = 7 (1 - 0.9^7 = 0.5217).
    const net = make();
    const firsts: number[] = [];
    for (let n = 1; n <= 7; n++) if (net.step([2, 0, 0, 0]).includes(0)) firsts.push(n);
    expect(firsts).toEqual([7]);
    expect(1 - 0.9 ** 6).toBeLessThan(0.5);
    // Reset, then clamped for 2 refractory steps, then integrating again from vReset.
    expect(net.v[0]).toBe(0);
    net.step([2, 0, 0, 0]);
    net.step([2, 0, 0, 0]);
    expect(net.v[0]).toBe(0);
    net.step([2, 0, 0, 0]);
    expect(net.v[0]).toBeCloseTo(0.2, 12);
  });

  it('a spike reaches every outgoing synapse (not just the first), one step later', () => {
    const net = make();
    let spikes: number[] = [];
    for (let n = 0; n < 7; n++) spikes = net.step([2, 0, 0, 0]);
    expect(spikes).toEqual([0]);
    expect(Array.from(net.v.subarray(1))).toEqual([0, 0, 0]);
    // Next step: each target gets its own weight: v += dt * w / tau = 5, 6, 7 >= 1: all three fire.
    expect(net.step([0, 0, 0, 0])).toEqual([1, 2, 3]);
  });

  it('rejects inputs of the wrong length', () => {
    expect(() => make().step([1, 2])).toThrow('inputs.length: 2 is not allowed (4 (one input per neuron))');
  });
});

describe('article model 2: decay-factor neuron with one weight per input line', () => {
  it('integrates v <- v * decay + input and fires at >= threshold, resetting to 0', () => {
    const neuron = new DecayNeuron({ weights: [0.3], decay: 0.9, threshold: 1 });
    // 0.3, 0.57, 0.813, 1.0317 -> fires at step 4.
    const fired = [1, 2, 3, 4, 5].map(() => neuron.step([1]));
    expect(fired).toEqual([false, false, false, true, false]);
    expect(neuron.v).toBeCloseTo(0.3, 12);
    // Exactly at threshold fires (>=).
    const exact = new DecayNeuron({ weights: [0.5, 0.5], decay: 0, threshold: 1 });
    expect(exact.step([1, 1])).toBe(true);
  });

  it('weights each input line by its own weight (not weights[0] for all)', () => {
    const neuron = new DecayNeuron({ weights: [5, 0, 0.25], decay: 0.5, threshold: 1 });
    // Only line 1 (weight 0) and line 2 (0.25) are active: with weights[0] = 5 everywhere it would fire at once.
    expect(neuron.step([0, 1, 1])).toBe(false);
    expect(neuron.v).toBe(0.25);
    expect(neuron.step([0, 1, 1])).toBe(false);
    expect(neuron.v).toBe(0.375);
    // Line 0 with its own large weight fires immediately.
    expect(neuron.step([1, 0, 0])).toBe(true);
    expect(neuron.v).toBe(0);
  });
});
