import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SpikeBatch } from '../../src/events/spikeBatch.ts';
import { buildNetwork } from '../../src/snn/network.ts';

const spikesIn = (t: number[], neuron: number[], until: number): SpikeBatch => ({
  t: Float64Array.from(t),
  neuron: Uint32Array.from(neuron),
  length: t.length,
  population: 'in',
  until,
});
const list = (b: SpikeBatch) => Array.from({ length: b.length }, (_, i) => `${b.neuron[i]}@${b.t[i]}`);

describe('LIF with delta synapses', () => {
  const lif = { name: 'n', size: 1, model: 'lif', tauMs: 10, threshold: 1, vRest: 0, vReset: 0, refractoryMs: 1 };
  const net = () =>
    buildNetwork({
      populations: [{ name: 'in', size: 3, model: 'source' }, lif],
      projections: [{ from: 'in', to: 'n', synapses: { pre: [0, 1, 2], post: [0, 0, 0], w: [0.6, 0.6, -0.3] }, delayUs: 100 }],
    });

  it('decays exactly between inputs and fires only when v > threshold', () => {
    // 0.6 then 0.6 after dt: v = 0.6 e^{-dt/tau} + 0.6 > 1  <=>  dt < tau ln(1.5) = 4054.65 µs.
    expect(list(net().run(spikesIn([0, 4054], [0, 1], 10_000), 10_000).spikes.n)).toEqual(['0@4154']);
    expect(list(net().run(spikesIn([0, 4055], [0, 1], 10_000), 10_000).spikes.n)).toEqual([]);
  });

  it('sums same-timestamp arrivals before the threshold test and discards input while refractory', () => {
    // +0.6 +0.6 -0.3 at once: 0.9, no spike (a one-by-one test would have fired at 1.2).
    expect(list(net().run(spikesIn([0, 0, 0], [0, 1, 2], 1000), 1000).spikes.n)).toEqual([]);
    // Spike at 200; input at 200 + 999 (inside the 1 ms refractory period) is lost, at 200 + 1000 it counts.
    const a = net().run(spikesIn([0, 100, 1099, 1200], [0, 1, 0, 1], 5000), 5000);
    expect(list(a.spikes.n)).toEqual(['0@200']);
    const b = net().run(spikesIn([0, 100, 1100, 1100], [0, 1, 0, 1], 5000), 5000);
    expect(list(b.spikes.n)).toEqual(['0@200', '0@1200']);
  });

  it('delivers per-synapse delays from a CSV delayUs column', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spikeflow-delays-'));
    writeFileSync(join(dir, 'syn.csv'), 'pre,post,w,delayUs\n0,0,2,250\n0,1,2,100\n0,2,2,1500\n1,2,2,100\n');
    const network = buildNetwork(
      {
        populations: [{ name: 'in', size: 2, model: 'source' }, { ...lif, size: 3 }],
        projections: [{ from: 'in', to: 'n', synapses: 'syn.csv' }],
      },
      dir,
    );
    const out = network.run(spikesIn([10, 20], [0, 1], 5000), 5000);
    expect(list(out.spikes.n)).toEqual(['1@110', '2@120', '0@260', '2@1510']);
    // Each synapse delivered once.
    expect(network.stats.synapticEvents).toBe(4);
  });
});

describe('LIF with exponential (current-based) synapses', () => {
  const tauUs = 10_000;
  const tauSynUs = 2_000;
  const net = (w: number) =>
    buildNetwork({
      populations: [
        { name: 'in', size: 1, model: 'source' },
        { name: 'n', size: 1, model: 'lif', tauMs: 10, threshold: 1, refractoryMs: 2, synapse: 'exponential', tauSynMs: 2 },
      ],
      projections: [{ from: 'in', to: 'n', connect: 'one-to-one', weight: w, delayUs: 0 }],
    });
  /** dv/dt = (-v + I) / tau, dI/dt = -I / tauSyn, I(0) = w, v(0) = 0: v = A (e^{-t/ts} - e^{-t/tm}). */
  const analytic = (w: number, t: number) => ((w * tauSynUs) / (tauSynUs - tauUs)) * (Math.exp(-t / tauSynUs) - Math.exp(-t / tauUs));

  it('fires between inputs, at the first µs the exact solution exceeds threshold', () => {
    const w = 10;
    let first = -1;
    for (let t = 1; t < 20_000 && first < 0; t++) if (analytic(w, t) > 1) first = t;
    expect(first).toBeGreaterThan(100);
    const out = net(w).run(spikesIn([1000], [0], 50_000), 50_000).spikes.n;
    expect(list(out)[0]).toBe(`0@${1000 + first}`);
    // A fine Euler integration (0.05 µs) of the same equations agrees to within a µs.
    let v = 0;
    let i = w;
    let t = 0;
    const h = 0.05;
    while (v <= 1) {
      v += (h * (-v + i)) / tauUs;
      i -= (h * i) / tauSynUs;
      t += h;
    }
    expect(Math.abs(t - first)).toBeLessThan(1);
  });

  it('stays silent when the peak is below threshold, and fires again after refractoriness if current remains', () => {
    let peak = 0;
    for (let t = 1; t < 30_000; t++) peak = Math.max(peak, analytic(2.5, t));
    expect(peak).toBeLessThan(1);
    expect(net(2.5).run(spikesIn([0], [0], 100_000), 100_000).spikes.n.length).toBe(0);
    // A huge current keeps v above threshold: spikes every refractory period while I decays.
    const strong = list(net(400).run(spikesIn([0], [0], 100_000), 100_000).spikes.n);
    expect(strong.length).toBeGreaterThan(3);
    const times = strong.map((s) => Number(s.split('@')[1]));
    for (let k = 1; k < times.length; k++) expect(times[k] - times[k - 1]).toBeGreaterThan(2000);
  });
});

describe('zero delays', () => {
  it('run extra rounds at the same time, and a loop that never settles ends with an error, not a hang', () => {
    const make = (refractoryMs: number) =>
      buildNetwork({
        populations: [
          { name: 'in', size: 1, model: 'source' },
          { name: 'a', size: 2, model: 'lif', tauMs: 10, threshold: 1, refractoryMs },
        ],
        projections: [
          { from: 'in', to: 'a', synapses: { pre: [0], post: [0], w: [2] }, delayUs: 0 },
          { from: 'a', to: 'a', synapses: { pre: [0, 1], post: [1, 0], w: [2, 2] }, delayUs: 0 },
        ],
      });
    // With a refractory period the loop 0 -> 1 -> 0 stops: 0 fires, 1 fires at the same µs, 0 is refractory.
    expect(list(make(1).run({ ...spikesIn([500], [0], 1000), population: 'in' }, 1000).spikes.a)).toEqual(['0@500', '1@500']);
    expect(() => make(0).run(spikesIn([500], [0], 1000), 1000)).toThrow('activity at t=500 µs did not settle after 10000 zero-delay rounds');
  });
});
