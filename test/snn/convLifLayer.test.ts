import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.ts';
import type { SpikeBatch } from '../../src/events/spikeBatch.ts';
import { detectionNetworkSpec, DEFAULT_DETECTION_LAYER } from '../../src/readout/detectionNetwork.ts';
import { ConvLifLayer, convLifSpec } from '../../src/snn/convLifLayer.ts';
import { buildNetwork, type NetworkSpec } from '../../src/snn/network.ts';
import { createRandom, randomInt } from '../../src/snn/random.ts';

interface Runner {
  run(input: SpikeBatch, until: number): { spikes: Record<string, SpikeBatch> };
}

/** Every output spike as "t:neuron", call after call, with a marker per call so batch boundaries count too. */
function runAll(net: Runner, batches: readonly SpikeBatch[]): string[] {
  const lines: string[] = [];
  for (const batch of batches) {
    const out = net.run(batch, batch.until);
    for (const s of Object.values(out.spikes)) for (let i = 0; i < s.length; i++) lines.push(`${s.t[i]}:${s.neuron[i]}`);
    lines.push(`| ${batch.until}`);
  }
  return lines;
}

/**
 * Dense random input on a [w, h, c] grid: bursts of many spikes per timestamp (so arrivals pile up on the same
 * neurons and summation order matters), sorted by (t, neuron), cut at random `until`s, some right after a
 * burst so its deliveries cross into the next call.
 */
function randomInput(seed: number, w: number, h: number, c: number, spikes: number): SpikeBatch[] {
  const random = createRandom(seed);
  const t: number[] = [];
  const neuron: number[] = [];
  let now = 100 + randomInt(random, 50);
  while (t.length < spikes) {
    const burst = 1 + randomInt(random, 12);
    const cells = new Set<number>();
    for (let k = 0; k < burst; k++) cells.add(randomInt(random, w * h * c));
    for (const n of [...cells].sort((a, b) => a - b)) {
      t.push(now);
      neuron.push(n);
    }
    now += randomInt(random, 4) === 0 ? randomInt(random, 40) : randomInt(random, 3);
  }
  const batches: SpikeBatch[] = [];
  let start = 0;
  while (start < t.length) {
    let stop = Math.min(t.length, start + 1 + randomInt(random, 60));
    while (stop < t.length && t[stop] === t[stop - 1]) stop++;
    // Until right after the last spike (its deliveries are carried over), or some way beyond it.
    const until = stop < t.length ? t[stop - 1] + 1 + randomInt(random, t[stop] - t[stop - 1]) : now + 50;
    batches.push({ t: Float64Array.from(t.slice(start, stop)), neuron: Uint32Array.from(neuron.slice(start, stop)), length: stop - start, population: 'in', until });
    start = stop;
  }
  return batches;
}

function convSpec(w: number, h: number, c: number, kernel: number[][], options: { weight?: number; delayUs: number; refractoryMs: number; threshold: number }): NetworkSpec {
  return {
    populations: [
      { name: 'in', model: 'source', shape: [w, h, c] },
      { name: 'out', model: 'lif', shape: [w, h, 1], tauMs: 0.2, threshold: options.threshold, vRest: -0.1, vReset: -0.3, refractoryMs: options.refractoryMs },
    ],
    projections: [{ from: 'in', to: 'out', connect: 'conv2d', kernel, mergeChannels: true, weight: options.weight, delayUs: options.delayUs }],
  };
}

describe('ConvLifLayer: the conv2d LIF layer without synapse tables, identical to Network', () => {
  const cases = [
    { name: '3×3 non-dyadic weights, 2 channels, delay 1', w: 9, h: 7, c: 2, kernel: [[0.3, 0.1, 0.7], [0.2, 1.1, 0.3], [0.6, 0.1, 0.3]], o: { weight: 0.9, delayUs: 1, refractoryMs: 0.004, threshold: 1.3 } },
    { name: '5×3 kernel with zeros and negatives, 1 channel, delay 0', w: 6, h: 11, c: 1, kernel: [[0.2, 0, -0.4, 0.1, 0.3], [0.5, 0.7, 1.3, 0.7, 0], [0.1, 0.35, -0.2, 0, 0.15]], o: { delayUs: 0, refractoryMs: 0, threshold: 0.9 } },
    { name: '3×5 kernel, 3 channels, delay 7, long refractoriness', w: 4, h: 5, c: 3, kernel: [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 1.7, 0.9], [0.15, 0.25, 0.35], [0.45, 0.55, 0.65]], o: { weight: 1.7, delayUs: 7, refractoryMs: 0.021, threshold: 2.2 } },
    { name: 'grid narrower than the kernel', w: 2, h: 1, c: 2, kernel: [[0.3, 0.6, 0.3], [0.4, 1.0, 0.4], [0.3, 0.6, 0.3]], o: { delayUs: 1, refractoryMs: 0.001, threshold: 1.1 } },
  ];
  for (const { name, w, h, c, kernel, o } of cases) {
    it(name, () => {
      const spec = convSpec(w, h, c, kernel, o);
      const layerSpec = convLifSpec(spec);
      expect(layerSpec).not.toBeNull();
      for (const seed of [1, 2, 3]) {
        const batches = randomInput(seed, w, h, c, 3000);
        const reference = runAll(buildNetwork({ ...spec, engine: 'js' }), batches);
        expect(reference.filter((l) => !l.startsWith('|')).length).toBeGreaterThan(100); // the case does fire
        expect(runAll(buildNetwork({ ...spec, engine: 'wasm' }), batches)).toEqual(reference);
        expect(runAll(new ConvLifLayer(layerSpec!), batches)).toEqual(reference);
      }
    });
  }

  it('runs the pipeline detection layer, not the one with lateral inhibition (recurrent)', () => {
    const grid = { width: 20, height: 10, channels: 2, pool: 4 };
    const plain = convLifSpec(detectionNetworkSpec(grid, 'input', DEFAULT_DETECTION_LAYER));
    expect(plain).toMatchObject({ sourceName: 'input', targetName: 'detect', sourceShape: [20, 10, 2], delayUs: 1, scale: 1 });
    expect(plain!.lif).toMatchObject({ tauUs: 10000, threshold: 6, refractoryUs: 1000, tauSynUs: 0 });
    expect(convLifSpec(detectionNetworkSpec(grid, 'input', { ...DEFAULT_DETECTION_LAYER, inhibition: -1 }))).toBeNull();
  });

  it('leaves every other network to Network', () => {
    const base = convSpec(5, 5, 2, [[1, 1, 1], [1, 1, 1], [1, 1, 1]], { delayUs: 1, refractoryMs: 0, threshold: 1 });
    const projection = base.projections![0];
    const variants: NetworkSpec[] = [
      { ...base, projections: [{ ...projection, stride: 2 }] },
      { ...base, projections: [{ ...projection, mergeChannels: false }] },
      { ...base, projections: [{ ...projection, delayUs: undefined, delayMs: 1 }] },
      { ...base, projections: [{ ...projection, connect: 'pool2d' }] },
      { ...base, populations: [base.populations[0], { ...base.populations[1], synapse: 'exponential', tauSynMs: 1 }] },
      { ...base, projections: [projection, { ...projection }] },
    ];
    for (const spec of variants) expect(convLifSpec(spec)).toBeNull();
    expect(convLifSpec(base)).not.toBeNull();
  });

  it('rejects input out of order, outside the source, or before its time, as Network does', () => {
    const layer = new ConvLifLayer(convLifSpec(convSpec(4, 4, 2, [[1]], { delayUs: 1, refractoryMs: 0, threshold: 1 }))!);
    const batch = (t: number[], neuron: number[], until: number): SpikeBatch => ({ t: Float64Array.from(t), neuron: Uint32Array.from(neuron), length: t.length, population: 'in', until });
    expect(() => layer.run(batch([5, 3], [0, 1], 10), 10)).toThrow(/input\.t\[1\]: 3/);
    expect(() => layer.run(batch([5], [32], 10), 10)).toThrow(ConfigError);
    expect(() => layer.run({ ...batch([5], [1], 10), population: 'other' }, 10)).toThrow(/population/);
    layer.run(batch([5], [1], 10), 10);
    expect(layer.now).toBe(10);
    expect(() => layer.run(batch([9], [1], 20), 20)).toThrow(/input\.t\[0\]: 9/);
    expect(() => layer.run(batch([], [], 5), 5)).toThrow(/until/);
  });
});
