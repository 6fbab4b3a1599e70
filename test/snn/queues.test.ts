import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDecayTable, decayExact, decayFactor } from '../../src/snn/decayTable.ts';
import { buildNetwork, type NetworkSpec } from '../../src/snn/network.ts';
import { BinaryHeapQueue } from '../../src/snn/queue/binaryHeapQueue.ts';
import { BucketQueue } from '../../src/snn/queue/bucketQueue.ts';
import { FifoQueue } from '../../src/snn/queue/fifoQueue.ts';
import type { SpikeQueue } from '../../src/snn/queue/spikeQueue.ts';
import { createRandom } from '../../src/snn/random.ts';
import { parseSpikeCsv } from '../../src/snn/spikeCsv.ts';
import { REPO } from '../helpers/shared.ts';

/** Drives a queue like the scheduler does: advance to the earliest time, pop it all, push new entries later. */
function drive(queue: SpikeQueue, delays: number[], seed: number, startSpan = 3000): string[] {
  const random = createRandom(seed);
  const popped: string[] = [];
  let id = 0;
  const starts = Array.from({ length: 50 }, () => Math.floor(random() * startSpan)).sort((a, b) => a - b);
  for (const t of starts) queue.push(t, id % 7, id++);
  while (queue.size > 0 && popped.length < 20_000) {
    const t = queue.peekTime();
    queue.setNow(t);
    while (queue.size > 0 && queue.peekTime() === t) {
      queue.pop();
      popped.push(`${t}:${queue.poppedGroup}:${queue.poppedNeuron}`);
      const children = random() < 0.6 ? 2 : 0;
      for (let c = 0; c < children && id < 12_000; c++) {
        queue.push(t + delays[Math.floor(random() * delays.length)], c, id++);
      }
    }
  }
  return popped;
}

describe('scheduler queues', () => {
  it('heap and bucket pop in identical (time, insertion) order, including far entries beyond the window', () => {
    const delays = [0, 1, 7, 100, 100, 1000, 250_000];
    const heap = drive(new BinaryHeapQueue(), delays, 3);
    expect(heap.length).toBeGreaterThan(5000);
    const times = heap.map((s) => Number(s.split(':')[0]));
    expect(times.every((t, i) => i === 0 || t >= times[i - 1])).toBe(true);
    expect(drive(new BucketQueue(1000), delays, 3)).toEqual(heap);
  });

  it('the FIFO equals the heap for a single delay and refuses out-of-order pushes', () => {
    const heap = drive(new BinaryHeapQueue(), [1000], 5, 1000);
    expect(heap.length).toBeGreaterThan(5000);
    expect(drive(new FifoQueue(), [1000], 5, 1000)).toEqual(heap);
    const fifo = new FifoQueue();
    fifo.push(10, 0, 0);
    expect(() => fifo.push(9, 0, 1)).toThrow(/pushed after one at 10 µs/);
  });

  it('networks give identical spikes with every queue (multiple and per-synapse delays)', () => {
    const FIXTURES = join(REPO, 'test/fixtures/brian2');
    const input = parseSpikeCsv(readFileSync(join(FIXTURES, 'det_input.csv'), 'utf8'), 'input', 'in');
    const n = input.t.findIndex((t) => t >= 500_000);
    const firstHalfSecond = { ...input, t: input.t.slice(0, n), neuron: input.neuron.slice(0, n), length: n, until: 500_000 };
    const random = createRandom(9);
    const pre = Array.from({ length: 4000 }, (_, s) => Math.floor(s / 20));
    const post = pre.map(() => Math.floor(random() * 50));
    const w = pre.map(() => 0.2 + 0.7 * random());
    const delayUs = pre.map(() => 500 + Math.floor(random() * 2000));
    const spec = (queue: string): NetworkSpec => ({
      queue,
      populations: [
        { name: 'in', size: 200, model: 'source' },
        { name: 'out', size: 50, model: 'lif', tauMs: 20, threshold: 20, refractoryMs: 2 },
        { name: 'slow', size: 50, model: 'lif', tauMs: 30, threshold: 1.5, refractoryMs: 5, synapse: 'exponential', tauSynMs: 5 },
      ],
      projections: [
        { from: 'in', to: 'out', synapses: { pre, post, w, delayUs } },
        { from: 'out', to: 'out', connect: 'all-to-all', excludeSelf: true, weight: -0.7, delayMs: 1.3 },
        { from: 'out', to: 'slow', connect: 'one-to-one', weight: 10, delayMs: 0.2 },
        { from: 'slow', to: 'out', connect: 'fixed-fanout', fanout: 5, seed: 2, weight: 3, delayMs: 4 },
      ],
    });
    const run = (queue: string) => {
      const out = buildNetwork(spec(queue)).run(firstHalfSecond, 500_000).spikes;
      return ['out', 'slow'].map((p) => Array.from({ length: out[p].length }, (_, i) => `${out[p].neuron[i]}@${out[p].t[i]}`));
    };
    const heap = run('heap');
    expect(heap[0].length).toBeGreaterThan(80);
    expect(heap[1].length).toBeGreaterThan(10);
    expect(run('bucket')).toEqual(heap);
    expect(run('auto')).toEqual(heap);
    expect(() => buildNetwork(spec('fifo'))).toThrow('queue: "fifo" is not allowed');
  });

  it('the exp table gives the very same doubles as Math.exp for every integer µs it holds', () => {
    for (const tauUs of [20_000, 5_000, 333.5, 1]) {
      const decay = createDecayTable(tauUs);
      expect(decay.table.length).toBe(Math.min(1 << 16, Math.ceil(8 * tauUs) + 1));
      for (let k = 0; k < decay.table.length; k++) {
        if (decay.table[k] !== Math.exp(-k / tauUs)) throw new Error(`tau ${tauUs}: entry ${k} differs`);
      }
      for (const k of [0, 1, 99, decay.table.length - 1, decay.table.length, 10_000_000]) {
        expect(decayFactor(decay, k)).toBe(Math.exp(-k / tauUs));
        expect(decayFactor(decay, k)).toBe(decayExact(k, tauUs));
      }
    }
  });
});
