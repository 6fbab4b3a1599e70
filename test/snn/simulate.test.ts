import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Observable, Subject, firstValueFrom, from, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { SpikeBatch } from '../../src/events/spikeBatch.ts';
import { buildNetwork, type NetworkSpec } from '../../src/snn/network.ts';
import { simulate } from '../../src/snn/operators/simulate.ts';
import { parseSpikeCsv } from '../../src/snn/spikeCsv.ts';
import { REPO } from '../helpers/shared.ts';

const FIXTURES = join(REPO, 'test/fixtures/brian2');
const spec: NetworkSpec = {
  populations: [
    { name: 'in', size: 200, model: 'source' },
    { name: 'out', size: 50, model: 'lif', tauMs: 20, threshold: 20, vRest: 0, vReset: 0, refractoryMs: 2 },
  ],
  projections: [
    { from: 'in', to: 'out', synapses: 'det_inh_synapses.csv', delayMs: 1 },
    { from: 'out', to: 'out', connect: 'all-to-all', excludeSelf: true, weight: -1.0, delayMs: 1 },
  ],
};
const input = parseSpikeCsv(readFileSync(join(FIXTURES, 'det_input.csv'), 'utf8'), 'input', 'in');

/** Cuts the input into batches ending at the given times (spikes t < until in each). */
function chop(batch: SpikeBatch, ends: number[]): SpikeBatch[] {
  let start = 0;
  return ends.map((until) => {
    let end = start;
    while (end < batch.length && batch.t[end] < until) end++;
    const part = { ...batch, t: batch.t.slice(start, end), neuron: batch.neuron.slice(start, end), length: end - start, until };
    start = end;
    return part;
  });
}

function flatten(outputs: { spikes: Record<string, SpikeBatch> }[]): string[] {
  return outputs.flatMap((o) => Array.from({ length: o.spikes.out.length }, (_, i) => `${o.spikes.out.neuron[i]}@${o.spikes.out.t[i]}`));
}

describe('simulate operator', () => {
  it('gives the same spikes whether the input comes in one batch or in many (state persists)', async () => {
    const whole = buildNetwork(spec, FIXTURES).run(input, 2_100_000);
    const ends = [1, 24_150, 24_200, 24_201, 500_000, 1_000_000, 1_000_001, 2_100_000];
    const outputs = await firstValueFrom(from(chop(input, ends)).pipe(simulate(buildNetwork(spec, FIXTURES)), toArray()));
    expect(outputs.map((o) => o.until)).toEqual(ends);
    const expected = flatten([whole]);
    expect(expected.length).toBe(344);
    expect(flatten(outputs)).toEqual(expected);
    // Each output holds exactly the spikes emitted before its until and at or after the previous one.
    outputs.forEach((o, i) => {
      const out = o.spikes.out;
      for (let k = 0; k < out.length; k++) {
        expect(out.t[k]).toBeLessThan(o.until);
        expect(out.t[k]).toBeGreaterThanOrEqual(i === 0 ? 0 : ends[i - 1]);
      }
    });
  });

  it('stops the source when unsubscribed early', () => {
    const source = new Subject<SpikeBatch>();
    const seen: number[] = [];
    const subscription = source.pipe(simulate(buildNetwork(spec, FIXTURES))).subscribe((o) => seen.push(o.until));
    source.next(chop(input, [1000])[0]);
    subscription.unsubscribe();
    expect(source.observed).toBe(false);
    source.next({ ...input, until: 3_000_000 });
    expect(seen).toEqual([1000]);
  });

  it('ends with the engine error when input time goes backwards, and passes source errors on', async () => {
    const [a, b] = chop(input, [50_000, 60_000]);
    const backwards = from([b, a]).pipe(simulate(buildNetwork(spec, FIXTURES)));
    await expect(firstValueFrom(backwards.pipe(toArray()))).rejects.toThrow(/until: 50000 is not allowed/);
    const failing = new Observable<SpikeBatch>((s) => s.error(new Error('source broke')));
    await expect(firstValueFrom(failing.pipe(simulate(buildNetwork(spec, FIXTURES))))).rejects.toThrow('source broke');
  });
});
