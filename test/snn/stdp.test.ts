import { describe, expect, it } from 'vitest';
import type { SpikeBatch } from '../../src/events/spikeBatch.ts';
import { buildNetwork } from '../../src/snn/network.ts';
import type { PlasticitySpec } from '../../src/snn/spec.ts';

const TAU_PLUS = 16.8;
const TAU_MINUS = 33.7;
const input = (t: number[], neuron: number[], until: number): SpikeBatch => ({
  t: Float64Array.from(t),
  neuron: Uint32Array.from(neuron),
  length: t.length,
  population: 'in',
  until,
});

/** in[0] -> n through the plastic synapse (too weak to fire n); in[1] -> n strong enough to make n fire. */
function pairNetwork(plasticity: PlasticitySpec, w0 = 0.5) {
  return buildNetwork({
    populations: [
      { name: 'in', size: 2, model: 'source' },
      { name: 'n', size: 1, model: 'lif', tauMs: 10, threshold: 1, refractoryMs: 1 },
    ],
    projections: [
      { from: 'in', to: 'n', synapses: { pre: [0], post: [0], w: [w0] }, delayUs: 100, plasticity },
      { from: 'in', to: 'n', synapses: { pre: [1], post: [0], w: [5] }, delayUs: 100 },
    ],
  });
}

const additive: PlasticitySpec = { rule: 'stdp', aPlus: 0.01, aMinus: 0.012, tauPlusMs: TAU_PLUS, tauMinusMs: TAU_MINUS, wMin: 0, wMax: 1 };

describe('pair-based STDP (trace-based, event-driven)', () => {
  it('potentiates pre-before-post by aPlus e^{-dt/tau+} and depresses post-before-pre by aMinus e^{-dt/tau-}', () => {
    for (const dtUs of [0, 3000, 20_000]) {
      const causal = pairNetwork(additive);
      expect(causal.run(input([0, dtUs], [0, 1], 100_000), 100_000).spikes.n.length).toBe(1);
      expect(causal.weights(0)[0]).toBeCloseTo(0.5 + 0.01 * Math.exp(-dtUs / 1000 / TAU_PLUS), 14);
    }
    for (const dtUs of [1, 5000]) {
      const acausal = pairNetwork(additive);
      acausal.run(input([0, dtUs], [1, 0], 100_000), 100_000);
      expect(acausal.weights(0)[0]).toBeCloseTo(0.5 - 0.012 * Math.exp(-dtUs / 1000 / TAU_MINUS), 14);
    }
  });

  it('sums all pairs through the traces and keeps weights inside [wMin, wMax]', () => {
    // Two pre spikes 2 ms and 5 ms before one post spike: both pairs count.
    const net = pairNetwork(additive);
    net.run(input([0, 3000, 5000], [0, 0, 1], 100_000), 100_000);
    expect(net.weights(0)[0]).toBeCloseTo(0.5 + 0.01 * (Math.exp(-5 / TAU_PLUS) + Math.exp(-2 / TAU_PLUS)), 14);
    const capped = pairNetwork({ ...additive, aPlus: 0.4 }, 0.9);
    capped.run(input([0, 1000], [0, 1], 100_000), 100_000);
    expect(capped.weights(0)[0]).toBe(1);
    const floored = pairNetwork({ ...additive, aMinus: 0.8 }, 0.1);
    floored.run(input([0, 1000], [1, 0], 100_000), 100_000);
    expect(floored.weights(0)[0]).toBe(0);
  });

  it('multiplicative mode scales potentiation by (wMax - w) and depression by (w - wMin)', () => {
    const mult: PlasticitySpec = { ...additive, mode: 'multiplicative', wMin: 0.1, wMax: 2 };
    const up = pairNetwork(mult, 0.5);
    up.run(input([0, 4000], [0, 1], 100_000), 100_000);
    expect(up.weights(0)[0]).toBeCloseTo(0.5 + 0.01 * Math.exp(-4 / TAU_PLUS) * (2 - 0.5), 14);
    const down = pairNetwork(mult, 0.5);
    down.run(input([0, 4000], [1, 0], 100_000), 100_000);
    expect(down.weights(0)[0]).toBeCloseTo(0.5 - 0.012 * Math.exp(-4 / TAU_MINUS) * (0.5 - 0.1), 14);
  });

  it('reward-modulated STDP changes nothing until a reward, then w += lr * r * eligibility(t)', () => {
    const rstdp: PlasticitySpec = { ...additive, rule: 'rstdp', tauEligibilityMs: 200, learningRate: 0.5 };
    const net = pairNetwork(rstdp);
    net.run(input([0, 3000], [0, 1], 50_000), 50_000);
    expect(net.weights(0)[0]).toBe(0.5);
    // Pairing at post spike time 3100 µs: eligibility 0.01 e^{-3/16.8}; reward at 50 ms decays it by e^{-(50-3.1)/200}.
    const e = 0.01 * Math.exp(-3 / TAU_PLUS) * Math.exp(-(50 - 3.1) / 200);
    net.reward(2);
    expect(net.weights(0)[0]).toBeCloseTo(0.5 + 0.5 * 2 * e, 14);
    // A punishment later moves it back by the (further decayed) trace.
    net.run(input([], [], 150_000), 150_000);
    net.reward(-2);
    expect(net.weights(0)[0]).toBeCloseTo(0.5 + e - e * Math.exp(-100 / 200), 14);
  });

  it('rejects a bad rule with the key path', () => {
    expect(() => pairNetwork({ ...additive, rule: 'hebb' })).toThrow('projections[0].plasticity.rule: "hebb" is not allowed ("stdp" or "rstdp")');
    expect(() => pairNetwork({ ...additive, wMax: -1 })).toThrow('projections[0].plasticity.wMax: -1 is not allowed (greater than wMin (0))');
  });
});
