import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulateFiles } from '../../src/cli/commands/simulate.ts';
import { REPO } from '../helpers/shared.ts';

const FIXTURES = join(REPO, 'test/fixtures/brian2');
const NETWORK = join(FIXTURES, 'det_inh_network.json');
const INPUT = join(FIXTURES, 'det_input.csv');
const dir = mkdtempSync(join(tmpdir(), 'spikeflow-simulate-'));

function brianRows(): string[] {
  const rows = readFileSync(join(FIXTURES, 'det_inh_output_brian.csv'), 'utf8').trim().split('\n').slice(1);
  return rows.map((r) => {
    const [neuron, , tick] = r.split(',');
    return `${neuron},${Number(tick) * 100}`;
  });
}

describe('spikeflow simulate', () => {
  it('writes Brian2\'s spikes as neuron,t_us sorted by time then neuron, with exact stats', () => {
    const out = join(dir, 'out.csv');
    const stats = simulateFiles(NETWORK, { input: INPUT, out });
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('neuron,t_us');
    expect(lines.slice(1)).toEqual(brianRows());
    // 8104 input spikes x 20 synapses + 344 output spikes x 49 inhibitory synapses.
    expect(stats).toMatchObject({ inputSpikes: 8104, spikes: 344, synapticEvents: 8104 * 20 + 344 * 49 });
    // Runs until silent: the last output spike plus its 1 ms delivery, in steps of one delay.
    expect(stats.simSeconds).toBeGreaterThan(1.998);
    expect(stats.simSeconds).toBeLessThan(2.01);
  });

  it('stops at --until-ms and writes a population column when several populations spike', () => {
    const network = join(dir, 'two.json');
    const spec = JSON.parse(readFileSync(NETWORK, 'utf8'));
    spec.populations.push({ name: 'relay', size: 50, model: 'lif', tauMs: 5, threshold: 0.5, refractoryMs: 1 });
    spec.projections = [
      { ...spec.projections[0], synapses: join(FIXTURES, 'det_inh_synapses.csv') },
      { from: 'out', to: 'relay', connect: 'one-to-one', weight: 1, delayUs: 250 },
    ];
    writeFileSync(network, JSON.stringify(spec));
    const out = join(dir, 'two.csv');
    const stats = simulateFiles(network, { input: INPUT, out, untilUs: 500_000 });
    expect(stats.simSeconds).toBe(0.5);
    const rows = readFileSync(out, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('neuron,t_us,population');
    const outRows = rows.slice(1).filter((r) => r.endsWith(',out'));
    const relayRows = rows.slice(1).filter((r) => r.endsWith(',relay'));
    // Every "out" spike is relayed 250 µs later by the same neuron index (one-to-one, w 1 > threshold 0.5).
    expect(relayRows.length).toBeGreaterThan(10);
    expect(relayRows).toEqual(
      outRows.map((r) => r.split(',')).filter(([, t]) => Number(t) + 250 < 500_000).map(([n, t]) => `${n},${Number(t) + 250},relay`),
    );
    const keys = rows.slice(1).map((r) => r.split(',').map(Number));
    for (let i = 1; i < keys.length; i++) {
      expect(keys[i][1] > keys[i - 1][1] || (keys[i][1] === keys[i - 1][1] && keys[i][0] >= keys[i - 1][0])).toBe(true);
    }
  });

  it('names the file and the line of a bad input, and the key of a bad network', () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'neuron,t_us\n1,100\n2,1.5\n');
    expect(() => simulateFiles(NETWORK, { input: bad, out: join(dir, 'x.csv') })).toThrow(`${bad}: at byte 18: line 3: t_us must be an integer (µs), got "1.5"`);
    writeFileSync(bad, 'neuron,time\n1,100\n');
    expect(() => simulateFiles(NETWORK, { input: bad, out: join(dir, 'x.csv') })).toThrow(/a header with columns neuron,t_us/);
    const net = join(dir, 'bad.json');
    writeFileSync(net, JSON.stringify({ populations: [{ name: 'in', size: 2, model: 'source' }, { name: 'o', size: 2, model: 'lif', tauMs: 10, threshold: 1 }], projections: [{ from: 'in', to: 'o', connect: 'ring', weight: 1, delayMs: 1 }] }));
    expect(() => simulateFiles(net, { input: INPUT, out: join(dir, 'x.csv') })).toThrow('projections[0].connect: "ring" is not allowed (one of one-to-one, all-to-all, fixed-fanout, conv2d, pool2d, lateral-inhibition (or a "synapses" CSV file))');
    writeFileSync(net, '{"populations": [');
    expect(() => simulateFiles(net, { input: INPUT, out: join(dir, 'x.csv') })).toThrow(`${net}: at byte 0: valid JSON`);
  });

  it('feeds the source population named by --population or by a population column', () => {
    const network = join(dir, 'two-sources.json');
    writeFileSync(
      network,
      JSON.stringify({
        populations: [
          { name: 'a', size: 2, model: 'source' },
          { name: 'b', size: 2, model: 'source' },
          { name: 'n', size: 2, model: 'lif', tauMs: 10, threshold: 1 },
        ],
        projections: [
          { from: 'a', to: 'n', connect: 'one-to-one', weight: 2, delayUs: 10 },
          { from: 'b', to: 'n', connect: 'one-to-one', weight: 2, delayUs: 500 },
        ],
      }),
    );
    const plain = join(dir, 'plain.csv');
    writeFileSync(plain, 'neuron,t_us\n1,100\n');
    const named = join(dir, 'named.csv');
    writeFileSync(named, 'neuron,t_us,population\n1,100,b\n');
    const out = join(dir, 'src.csv');
    const spikesOf = () => readFileSync(out, 'utf8').trim().split('\n').slice(1);
    simulateFiles(network, { input: plain, out });
    expect(spikesOf()).toEqual(['1,110']); // the first source, a
    simulateFiles(network, { input: plain, out, population: 'b' });
    expect(spikesOf()).toEqual(['1,600']);
    simulateFiles(network, { input: named, out });
    expect(spikesOf()).toEqual(['1,600']);
    expect(() => simulateFiles(network, { input: named, out, population: 'a' })).toThrow('--population: "a" is not allowed');
    writeFileSync(named, 'neuron,t_us,population\n1,100,b\n0,200,a\n');
    expect(() => simulateFiles(network, { input: named, out })).toThrow('line 3: population "a" after "b" (one population per input file)');
    expect(() => simulateFiles(network, { input: plain, out, population: 'n' })).toThrow('input.population: "n" is not allowed (a population whose model is "source")');
  });

  it('runs as a CLI command and prints one JSON stats line on stderr', () => {
    const out = join(dir, 'cli.csv');
    const result = spawnSync(process.execPath, [join(REPO, 'bin/spikeflow.js'), 'simulate', NETWORK, '--input', INPUT, '--out', out, '--stats'], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    const stats = JSON.parse(result.stderr.trim());
    expect(stats).toMatchObject({ synapticEvents: 178_936, spikes: 344 });
    expect(typeof stats.simSeconds).toBe('number');
    expect(readFileSync(out, 'utf8').trim().split('\n').length).toBe(345);
  }, 30_000);
});
