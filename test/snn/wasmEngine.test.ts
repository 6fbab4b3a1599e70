import { describe, expect, it } from 'vitest';
import type { SpikeBatch } from '../../src/events/spikeBatch.ts';
import { ConfigError } from '../../src/errors.ts';
import { buildNetwork, type Network, type NetworkSpec } from '../../src/snn/network.ts';
import { poissonSpikes } from '../../src/snn/poissonInput.ts';
import { INPUT_CHUNK, instantiate, WASM_MAX_POPULATIONS, WASM_MAX_TABLES } from '../../src/snn/wasm/wasmEngine.ts';
import { expectCommittedWasm, hasWasmToolchain } from '../helpers/wasmRebuild.ts';

/** Spikes of every non-source population as "population:neuron@t" lines, batch after batch. */
function runAll(network: Network, batches: SpikeBatch[]): string[] {
  const lines: string[] = [];
  for (const batch of batches) {
    const out = network.run(batch, batch.until);
    for (const [name, s] of Object.entries(out.spikes)) for (let i = 0; i < s.length; i++) lines.push(`${name}:${s.neuron[i]}@${s.t[i]}`);
  }
  return lines;
}

/** Cuts a spike train into `parts` batches of equal time span, the last ending at `end`. */
function chop(input: SpikeBatch, parts: number, end: number): SpikeBatch[] {
  const out: SpikeBatch[] = [];
  let start = 0;
  for (let k = 1; k <= parts; k++) {
    const until = Math.round((end * k) / parts);
    let stop = start;
    while (stop < input.length && input.t[stop] < until) stop++;
    out.push({ ...input, t: input.t.slice(start, stop), neuron: input.neuron.slice(start, stop), length: stop - start, until });
    start = stop;
  }
  return out;
}

/** Both engines on the same spec and input: same spikes, same statistics, bit-identical potentials. */
function expectSameOnBothEngines(spec: NetworkSpec, batches: SpikeBatch[]): string[] {
  const js = buildNetwork({ ...spec, engine: 'js' });
  const wasm = buildNetwork({ ...spec, engine: 'wasm' });
  expect(js.engine).toBe('js');
  expect(wasm.engine).toBe('wasm');
  const spikes = runAll(js, batches);
  expect(runAll(wasm, batches)).toEqual(spikes);
  expect(wasm.stats).toEqual(js.stats);
  expect(wasm.idle).toBe(js.idle);
  for (let p = 0; p < js.populations.length; p++) {
    const a = js.populations[p].lif;
    const b = wasm.populations[p].lif;
    if (a === null || b === null) continue;
    expect(Array.from(b.v)).toEqual(Array.from(a.v));
    expect(Array.from(b.tLast)).toEqual(Array.from(a.tLast));
  }
  return spikes;
}

const lif = { model: 'lif', tauMs: 5, threshold: 1, vRest: -0.25, vReset: -0.5, refractoryMs: 0.3 };

describe('WebAssembly engine: identical to the JS scheduler', () => {
  it('recurrent excitation and inhibition over sparse µs inputs, in many batches, with long silent gaps', () => {
    // Gaps of 200 ms (past the 40 ms decay table of tau = 5 ms) take the Math.exp path on both engines.
    const burst = poissonSpikes({ neurons: 300, rateHz: 40, durationUs: 300_000, gridUs: 1, seed: 7 });
    const t = Float64Array.from(burst.t, (x) => (x < 150_000 ? x : x + 200_000));
    const input = { ...burst, t, until: 600_000 };
    const spec: NetworkSpec = {
      populations: [
        { name: 'in', size: 300, model: 'source' },
        { name: 'exc', size: 120, ...lif },
        { name: 'inh', size: 30, ...lif, vRest: 0, vReset: 0 },
      ],
      projections: [
        { from: 'in', to: 'exc', connect: 'fixed-fanout', fanout: 12, seed: 3, weightRange: [0, 0.35], delayUs: 7 },
        { from: 'exc', to: 'exc', connect: 'fixed-fanout', fanout: 6, seed: 4, weightRange: [0, 0.3], delayUs: 7 },
        { from: 'exc', to: 'inh', connect: 'all-to-all', weight: 0.2, delayUs: 7 },
        { from: 'inh', to: 'exc', connect: 'all-to-all', weight: -0.4, delayUs: 7 },
      ],
    };
    const spikes = expectSameOnBothEngines(spec, chop(input, 23, 600_000));
    expect(spikes.length).toBeGreaterThan(500);
    expect(spikes.some((s) => s.startsWith('inh:'))).toBe(true);
  });

  it('dense arrivals (every neuron at every step) and a zero delay that settles within the timestamp', () => {
    const input = poissonSpikes({ neurons: 400, rateHz: 300, durationUs: 50_000, gridUs: 100, seed: 11 });
    const spec: NetworkSpec = {
      populations: [
        { name: 'in', size: 400, model: 'source' },
        { name: 'a', size: 50, ...lif },
        { name: 'b', size: 50, ...lif },
      ],
      projections: [
        { from: 'in', to: 'a', connect: 'fixed-fanout', fanout: 40, seed: 5, weightRange: [0, 0.12], delayUs: 0 },
        { from: 'a', to: 'b', connect: 'one-to-one', weight: 1.5, delayUs: 0 },
        { from: 'b', to: 'a', connect: 'all-to-all', weight: -0.05, delayUs: 0 },
      ],
    };
    const spikes = expectSameOnBothEngines(spec, chop({ ...input, until: 50_000 }, 5, 50_000));
    // b follows a within the same microsecond (zero delay, weight above threshold).
    expect(spikes.filter((s) => s.startsWith('b:')).length).toBeGreaterThan(100);
  });

  it('dense mode over populations wider than one 64-neuron mask block, most but not all neurons hit per step', () => {
    // The big benchmark's regime: each step reaches about 60 % of the targets, so `collect` lists them from
    // 64-neuron masks (two full blocks and a 22-neuron tail here), and some gaps pass the decay table.
    const input = poissonSpikes({ neurons: 1000, rateHz: 20, durationUs: 400_000, gridUs: 100, seed: 23 });
    const spec: NetworkSpec = {
      populations: [
        { name: 'in', size: 1000, model: 'source' },
        { name: 'out', size: 150, ...lif, threshold: 0.6 },
      ],
      projections: [{ from: 'in', to: 'out', connect: 'fixed-fanout', fanout: 15, seed: 9, weightRange: [0, 0.2], delayMs: 1 }],
    };
    const spikes = expectSameOnBothEngines(spec, chop({ ...input, until: 400_000 }, 3, 400_000));
    expect(spikes.length).toBeGreaterThan(500);
    // Neurons of both full blocks and of the tail spike.
    for (const range of [[0, 64], [64, 128], [128, 150]]) {
      expect(spikes.some((s) => { const j = Number(s.slice(4, s.indexOf('@'))); return j >= range[0] && j < range[1]; })).toBe(true);
    }
  });

  it('dense mode: spikers off the fast path (a gap past the decay table) and on it, in one step, emitted in index order', () => {
    // tau = 5 ms: the decay table covers 40 ms. At 51 ms neuron 0 is first updated (a 51 ms gap: Math.exp path,
    // done after the sweep) and neuron 1 was updated 0.1 ms before (table path); both spike. Their spikes reach
    // neuron 3 at 52 ms after an input of 0.3: (0.3 + 0.1) + 0.2 and (0.3 + 0.2) + 0.1 are different doubles,
    // so its potential shows whether the spikes were emitted in index order, as the JS scheduler does.
    const spec: NetworkSpec = {
      populations: [
        { name: 'in', size: 3, model: 'source' },
        { name: 'out', size: 4, ...lif, vRest: 0, vReset: 0 },
      ],
      projections: [
        { from: 'in', to: 'out', synapses: { pre: [0, 1, 1, 2], post: [1, 0, 1, 3], w: [0.5, 1.5, 1.5, 0.3] }, delayMs: 1 },
        { from: 'out', to: 'out', synapses: { pre: [0, 1], post: [3, 3], w: [0.1, 0.2] }, delayMs: 1 },
      ],
    };
    const input: SpikeBatch = { t: Float64Array.of(49_900, 50_000, 51_000), neuron: Uint32Array.of(0, 1, 2), length: 3, population: 'in', until: 60_000 };
    const network = buildNetwork({ ...spec, engine: 'wasm' });
    expect(expectSameOnBothEngines(spec, [input])).toEqual(['out:0@51000', 'out:1@51000']);
    network.run(input, 60_000);
    expect(network.populations[1].lif!.v[3]).toBe(0.3 + 0.1 + 0.2);
  });

  it('input of several chunks: one timestamp across a chunk end, one larger than a chunk, `until` inside a chunk', () => {
    const t: number[] = [];
    const neuron: number[] = [];
    // 37 spikes per timestamp (so chunk ends fall inside timestamps), then INPUT_CHUNK + 100 at one time.
    for (let i = 0; i < 2.5 * INPUT_CHUNK; i++) {
      t.push(Math.floor(i / 37) * 50);
      neuron.push((i * 7919) % 2000);
    }
    const big = t[t.length - 1] + 50;
    for (let i = 0; i < INPUT_CHUNK + 100; i++) {
      t.push(big);
      neuron.push(i % 2000);
    }
    for (let i = 0; i < 1000; i++) {
      t.push(big + 50 + 10 * i);
      neuron.push((i * 31) % 2000);
    }
    const end = t[t.length - 1] + 1000;
    const input: SpikeBatch = { t: Float64Array.from(t), neuron: Uint32Array.from(neuron), length: t.length, population: 'in', until: end };
    const spec: NetworkSpec = {
      populations: [
        { name: 'in', size: 2000, model: 'source' },
        { name: 'out', size: 300, ...lif, threshold: 2 },
      ],
      projections: [{ from: 'in', to: 'out', connect: 'fixed-fanout', fanout: 3, seed: 17, weightRange: [0, 0.3], delayUs: 120 }],
    };
    // Three calls whose `until`s fall inside chunks, so input spikes wait in `pending` between them.
    const spikes = expectSameOnBothEngines(spec, chop(input, 3, end));
    expect(spikes.length).toBeGreaterThan(1000);
    expect(spikes.some((s) => s.endsWith(`@${big + 120}`))).toBe(true);
  });

  it('grows its queue and output buffer mid-run (a burst far larger than the initial buffers)', () => {
    const n = 3000;
    const t = new Float64Array(n).fill(10);
    const neuron = Uint32Array.from({ length: n }, (_, i) => i);
    const spec: NetworkSpec = {
      populations: [
        { name: 'in', size: n, model: 'source' },
        { name: 'out', size: 5000, ...lif, refractoryMs: 0 },
      ],
      projections: [{ from: 'in', to: 'out', connect: 'fixed-fanout', fanout: 3, seed: 9, weight: 2, delayUs: 1 }],
    };
    const input: SpikeBatch = { t, neuron, length: n, population: 'in', until: 100 };
    const spikes = expectSameOnBothEngines(spec, [input]);
    expect(spikes.length).toBeGreaterThan(4000);
  });

  it('keeps input spikes at or after `until` for the next call', () => {
    const spec: NetworkSpec = {
      populations: [
        { name: 'in', size: 2, model: 'source' },
        { name: 'out', size: 1, model: 'lif', tauMs: 10, threshold: 0.5, vRest: 0, vReset: 0 },
      ],
      projections: [{ from: 'in', to: 'out', connect: 'all-to-all', weight: 1, delayUs: 5 }],
    };
    const network = buildNetwork({ ...spec, engine: 'wasm' });
    const first = network.run({ t: Float64Array.of(10, 30), neuron: Uint32Array.of(0, 1), length: 2, population: 'in', until: 20 }, 20);
    expect(Array.from(first.spikes.out.t)).toEqual([15]);
    expect(network.idle).toBe(false);
    const second = network.run({ t: new Float64Array(0), neuron: new Uint32Array(0), length: 0, population: 'in', until: 40 }, 40);
    expect(Array.from(second.spikes.out.t)).toEqual([35]);
    expect(network.idle).toBe(true);
  });
});

describe('WebAssembly engine: choice', () => {
  const base: NetworkSpec = {
    populations: [
      { name: 'in', size: 4, model: 'source' },
      { name: 'out', size: 4, model: 'lif', tauMs: 10, threshold: 1 },
    ],
    projections: [{ from: 'in', to: 'out', connect: 'one-to-one', weight: 1, delayMs: 1 }],
  };

  it('is the default for delta-LIF single-delay networks; "js" and explicit heap/bucket queues use the JS loop', () => {
    expect(buildNetwork(base).engine).toBe(process.env.SPIKEFLOW_NO_WASM === '1' ? 'js' : 'wasm');
    expect(buildNetwork({ ...base, engine: 'js' }).engine).toBe('js');
    expect(buildNetwork({ ...base, queue: 'heap' }).engine).toBe('js');
    expect(buildNetwork({ ...base, queue: 'bucket' }).engine).toBe('js');
  });

  it('falls back to JS for what it does not model, and "wasm" then says why', () => {
    const twoDelays: NetworkSpec = { ...base, projections: [...base.projections!, { from: 'in', to: 'out', connect: 'one-to-one', weight: 1, delayMs: 2 }] };
    const exponential: NetworkSpec = { ...base, populations: [base.populations[0], { ...base.populations[1], synapse: 'exponential', tauSynMs: 2 }] };
    const plastic: NetworkSpec = { ...base, projections: [{ ...base.projections![0], plasticity: { rule: 'stdp', aPlus: 0.01, aMinus: 0.01, wMax: 1 } }] };
    for (const [spec, why] of [
      [twoDelays, 'more than one delay'],
      [exponential, 'exponential synapses'],
      [plastic, 'STDP'],
    ] as const) {
      expect(buildNetwork(spec).engine).toBe('js');
      expect(() => buildNetwork({ ...spec, engine: 'wasm' })).toThrow(why);
    }
    expect(() => buildNetwork({ ...base, engine: 'gpu' })).toThrow(ConfigError);
  });

  it('limits in TS match the module', () => {
    const e = instantiate().exports as Record<string, () => number>;
    expect(e.engine_max_populations()).toBe(WASM_MAX_POPULATIONS);
    expect(e.engine_max_tables()).toBe(WASM_MAX_TABLES);
  });
});

describe.skipIf(!hasWasmToolchain)('WebAssembly engine: committed build', () => {
  it('a fresh build of native/snn/engine.c is byte-identical to src/snn/wasm/engine.wasm', () => {
    expectCommittedWasm('snn', 'src/snn/wasm/engine.wasm');
  });
});
