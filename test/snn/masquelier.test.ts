import { describe, expect, it } from 'vitest';
import type { SpikeBatch } from '../../src/events/spikeBatch.ts';
import { buildNetwork } from '../../src/snn/network.ts';
import { createRandom } from '../../src/snn/random.ts';

/**
 * Masquelier, Guyonneau & Thorpe (2008), scaled down: 1000 afferents fire Poisson spikes at 20 Hz; half of them
 * also carry a frozen 50 ms spatio-temporal pattern (one spike each, at a fixed time) that replaces their
 * activity in about a quarter of the 50 ms segments. Their rate is the same inside and outside the pattern, so
 * only the timing gives it away. One LIF neuron with additive STDP must learn to fire for the pattern, early.
 */
const AFFERENTS = 1000;
const IN_PATTERN = 500;
const SEGMENT_US = 50_000;
const SECONDS = 10;

function makeInput(seed: number): { input: SpikeBatch; isPattern: boolean[]; patternTimes: number[] } {
  const random = createRandom(seed);
  const patternTimes = Array.from({ length: IN_PATTERN }, () => Math.floor(random() * SEGMENT_US));
  const isPattern: boolean[] = [];
  const t: number[] = [];
  const n: number[] = [];
  const poisson = (base: number, i: number) => {
    for (let x = -Math.log(1 - random()) * 50_000; x < SEGMENT_US; x += -Math.log(1 - random()) * 50_000) {
      t.push(base + Math.floor(x));
      n.push(i);
    }
  };
  for (let s = 0; s < (SECONDS * 1e6) / SEGMENT_US; s++) {
    const pattern = s > 0 && !isPattern[s - 1] && random() < 0.3;
    isPattern.push(pattern);
    for (let i = 0; i < AFFERENTS; i++) {
      if (pattern && i < IN_PATTERN) {
        t.push(s * SEGMENT_US + patternTimes[i]);
        n.push(i);
      } else {
        poisson(s * SEGMENT_US, i);
      }
    }
  }
  const order = t.map((_, k) => k).sort((a, b) => t[a] - t[b] || n[a] - n[b]);
  const input = { t: Float64Array.from(order, (k) => t[k]), neuron: Uint32Array.from(order, (k) => n[k]), length: order.length, population: 'in', until: SECONDS * 1e6 };
  return { input, isPattern, patternTimes };
}

/** Hits, false alarms and first-spike latencies over the segments [from, to) seconds. */
function score(spikes: SpikeBatch, isPattern: boolean[], fromS: number, toS: number) {
  let presentations = 0;
  let hits = 0;
  let falseAlarms = 0;
  const latencies: number[] = [];
  for (let s = (fromS * 1e6) / SEGMENT_US; s < (toS * 1e6) / SEGMENT_US; s++) {
    const inSegment = Array.from(spikes.t).filter((t) => t >= s * SEGMENT_US && t < (s + 1) * SEGMENT_US);
    if (isPattern[s]) {
      presentations++;
      if (inSegment.length > 0) {
        hits++;
        latencies.push((inSegment[0] - s * SEGMENT_US) / 1000);
      }
    } else {
      falseAlarms += inSegment.length;
    }
  }
  const meanLatencyMs = latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length);
  return { presentations, hits, falseAlarms, meanLatencyMs };
}

describe('STDP learns a repeated spatio-temporal pattern hidden in noise (Masquelier-style)', () => {
  it('becomes selective (fires for every presentation, not in between) and its latency drops', () => {
    const { input, isPattern, patternTimes } = makeInput(42);
    expect(input.length).toBeGreaterThan(190_000);
    const network = buildNetwork({
      populations: [
        { name: 'in', size: AFFERENTS, model: 'source' },
        { name: 'n', size: 1, model: 'lif', tauMs: 10, threshold: 50, refractoryMs: 5 },
      ],
      projections: [
        {
          from: 'in',
          to: 'n',
          connect: 'all-to-all',
          weight: 0.3,
          delayUs: 0,
          plasticity: { rule: 'stdp', aPlus: 0.03125, aMinus: 0.65 * 0.03125, tauPlusMs: 16.8, tauMinusMs: 33.7, wMin: 0, wMax: 1 },
        },
      ],
    });
    const spikes = network.run(input, SECONDS * 1e6).spikes.n;

    const naive = score(spikes, isPattern, 0, 1.2);
    expect(naive.falseAlarms).toBeGreaterThan(10); // at first it fires on noise too
    expect(naive.meanLatencyMs).toBeGreaterThan(20);

    const trained = score(spikes, isPattern, 4.8, 9.6);
    expect(trained.presentations).toBeGreaterThan(20);
    expect(trained.hits).toBe(trained.presentations);
    expect(trained.falseAlarms).toBe(0);
    expect(trained.meanLatencyMs).toBeLessThan(8);

    // The afferents that fire first in the pattern are the ones at maximal weight; the noise ones are pruned.
    const w = network.weights(0);
    const early = patternTimes.map((t, i) => [t, i]).filter(([t]) => t < 2000).map(([, i]) => w[i]);
    const noise = Array.from(w.subarray(IN_PATTERN));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(early.length).toBeGreaterThan(10);
    expect(mean(early)).toBeGreaterThan(0.9);
    expect(mean(noise)).toBeLessThan(0.2);
  });
});
