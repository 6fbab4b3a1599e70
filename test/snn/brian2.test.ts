import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/shared.ts';
import { buildNetwork, type NetworkSpec } from '../../src/snn/network.ts';
import { parseSpikeCsv } from '../../src/snn/spikeCsv.ts';

const FIXTURES = join(REPO, 'test/fixtures/brian2');

/** The reference model of ../shared/reference/brian2/README.md as a network file. */
function referenceSpec(synapses: string, inhibition: boolean, queue = 'auto', engine = 'auto'): NetworkSpec {
  return {
    queue,
    engine,
    populations: [
      { name: 'in', size: 200, model: 'source' },
      { name: 'out', size: 50, model: 'lif', tauMs: 20, threshold: 20, vRest: 0, vReset: 0, refractoryMs: 2 },
    ],
    projections: [
      { from: 'in', to: 'out', synapses, delayMs: 1 },
      ...(inhibition ? [{ from: 'out', to: 'out', connect: 'all-to-all', excludeSelf: true, weight: -1.0, delayMs: 1 }] : []),
    ],
  };
}

/** Brian's output as "neuron@µs" strings, in (t, neuron) order. */
function brianSpikes(file: string, tickUs: number): string[] {
  const rows = readFileSync(join(FIXTURES, file), 'utf8').trim().split('\n').slice(1);
  return rows.map((r) => {
    const [neuron, , tick] = r.split(',');
    return `${neuron}@${Number(tick) * tickUs}`;
  });
}

function simulate(input: string, synapses: string, inhibition: boolean, queue: string, engine: string): string[] {
  const network = buildNetwork(referenceSpec(synapses, inhibition, queue, engine), FIXTURES);
  expect(network.engine).toBe(engine);
  const spikes = parseSpikeCsv(readFileSync(join(FIXTURES, input), 'utf8'), input, 'in');
  const out = network.run(spikes, 2_100_000).spikes.out;
  return Array.from({ length: out.length }, (_, i) => `${out.neuron[i]}@${out.t[i]}`);
}

describe('spike-for-spike equality with Brian2 2.5.1', () => {
  // det_inh uses the same input as det, det_offgrid the same synapses (identical files, kept once).
  const cases = [
    { prefix: 'det', input: 'det_input.csv', synapses: 'det_synapses.csv', inhibition: false, tickUs: 100, expected: 603 },
    { prefix: 'det_inh', input: 'det_input.csv', synapses: 'det_inh_synapses.csv', inhibition: true, tickUs: 100, expected: 344 },
    { prefix: 'det_offgrid_dt0.001', input: 'det_offgrid_dt0.001_input.csv', synapses: 'det_synapses.csv', inhibition: false, tickUs: 1, expected: 588 },
  ];
  for (const { prefix, input, synapses, inhibition, tickUs, expected } of cases) {
    it(`${prefix}: every output spike (neuron, µs) matches`, () => {
      const reference = brianSpikes(`${prefix}_output_brian.csv`, tickUs);
      expect(reference.length).toBe(expected);
      // The JS scheduler with every queue, and the WebAssembly engine (its own FIFO).
      for (const queue of ['heap', 'fifo', 'bucket']) expect(simulate(input, synapses, inhibition, queue, 'js')).toEqual(reference);
      expect(simulate(input, synapses, inhibition, 'auto', 'wasm')).toEqual(reference);
    });
  }
});
