import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { ConfigError, DecodeError } from '../../errors.ts';
import type { SpikeBatch } from '../../events/spikeBatch.ts';
import { buildNetworkFromFile, type Network, type NetworkSpec } from '../../snn/network.ts';
import { formatSpikeCsv, parseSpikeCsv } from '../../snn/spikeCsv.ts';

export interface SimulateOptions {
  input: string;
  out: string;
  /** Source population the input feeds (default: the first population whose model is "source"). */
  population?: string;
  /** Simulated end (µs). Default: until the network falls silent after the last input spike (at most 60 s more). */
  untilUs?: number;
}

export interface SimulateStats {
  synapticEvents: number;
  spikes: number;
  inputSpikes: number;
  simSeconds: number;
  wallSeconds: number;
  synapticEventsPerSecond: number;
}

/** Longest simulated time a self-sustaining network may run past its last input when no end was given. */
const DRAIN_LIMIT_US = 60_000_000;

/** `spikeflow simulate`: reads the network and the input spikes, simulates, writes the sorted output CSV. */
export function simulateFiles(networkPath: string, options: SimulateOptions): SimulateStats {
  const network = buildNetworkFromFile(readNetworkFile(networkPath), networkPath);
  const population = options.population ?? network.defaultSource;
  if (population === '') throw new ConfigError(`${networkPath}: populations`, 'no source', 'a population whose model is "source" to feed the input into');
  let text: string;
  try {
    text = readFileSync(options.input, 'utf8');
  } catch (error) {
    throw new ConfigError('--input', options.input, 'a readable spike CSV (neuron,t_us)', { cause: error });
  }
  const input = parseSpikeCsv(text, options.input, population);
  if (options.population !== undefined && input.population !== options.population) {
    throw new ConfigError('--population', options.population, `the population named in ${options.input} ("${input.population}")`);
  }
  const started = performance.now();
  const outputs = options.untilUs !== undefined ? [network.run(input, options.untilUs)] : runUntilSilent(network, input);
  const wallSeconds = (performance.now() - started) / 1000;
  const populations = network.populations.filter((p) => p.lif !== null).map((p) => p.name);
  const merged = populations.map((name) => concatSpikes(outputs.map((o) => o.spikes[name]), name));
  writeFileSync(options.out, populations.length === 1 ? formatSpikeCsv(merged) : formatAcrossPopulations(merged));
  const end = outputs[outputs.length - 1].until;
  return {
    synapticEvents: network.stats.synapticEvents,
    spikes: network.stats.spikes,
    inputSpikes: network.stats.inputSpikes,
    simSeconds: end / 1e6,
    wallSeconds: Number(wallSeconds.toFixed(6)),
    synapticEventsPerSecond: Math.round(network.stats.synapticEvents / Math.max(wallSeconds, 1e-9)),
  };
}

function readNetworkFile(path: string): NetworkSpec {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError('network', path, 'a readable JSON network file', { cause: error });
  }
  try {
    return JSON.parse(text) as NetworkSpec;
  } catch (error) {
    throw new DecodeError(path, 0, `valid JSON (${(error as Error).message})`, { cause: error });
  }
}

/** Runs past the last input spike, one longest delay at a time, until nothing is left in flight. */
function runUntilSilent(network: Network, input: SpikeBatch) {
  const lastInput = input.length > 0 ? input.t[input.length - 1] : 0;
  const step = network.maxDelayUs + 1;
  const outputs = [network.run(input, lastInput + 1)];
  while (!network.idle && network.now < lastInput + DRAIN_LIMIT_US) {
    outputs.push(network.run({ ...input, t: new Float64Array(0), neuron: new Uint32Array(0), length: 0 }, network.now + step));
  }
  return outputs;
}

function concatSpikes(batches: SpikeBatch[], population: string): SpikeBatch {
  const length = batches.reduce((n, b) => n + b.length, 0);
  const t = new Float64Array(length);
  const neuron = new Uint32Array(length);
  let at = 0;
  for (const b of batches) {
    t.set(b.t.subarray(0, b.length), at);
    neuron.set(b.neuron.subarray(0, b.length), at);
    at += b.length;
  }
  return { t, neuron, length, population, until: batches[batches.length - 1].until };
}

/** Several output populations in one file: a population column, rows sorted by t_us, neuron, population order. */
function formatAcrossPopulations(batches: SpikeBatch[]): string {
  const rows = batches.flatMap((b, p) => Array.from({ length: b.length }, (_, i) => [b.t[i], b.neuron[i], p] as const));
  rows.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  return `neuron,t_us,population\n${rows.map((r) => `${r[1]},${r[0]},${batches[r[2]].population}\n`).join('')}`;
}

function parseUntil(value: string): number {
  const ms = Number(value);
  if (!Number.isFinite(ms) || ms < 0) throw new ConfigError('--until-ms', value, 'a simulated end time in ms >= 0');
  return Math.round(ms * 1000);
}

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description('Run an event-driven spiking network on input spikes (CSV neuron,t_us) and write its output spikes')
    .argument('<network>', 'network file (JSON; synapse CSVs are resolved next to it)')
    .requiredOption('--input <spikes.csv>', 'input spikes: header with neuron,t_us (other columns ignored)')
    .requiredOption('--out <spikes.csv>', 'output spikes, sorted by t_us then neuron')
    .option('--population <name>', 'source population the input feeds (default: the first "source")')
    .option('--until-ms <ms>', 'simulated end time (default: until the network is silent after the last input)', parseUntil)
    .option('--stats', 'print one JSON line with synapticEvents, spikes, simSeconds to stderr')
    .action((networkPath: string, opts: { input: string; out: string; population?: string; untilMs?: number; stats?: boolean }) => {
      const stats = simulateFiles(networkPath, { input: opts.input, out: opts.out, population: opts.population, untilUs: opts.untilMs });
      if (opts.stats) process.stderr.write(`${JSON.stringify(stats)}\n`);
    });
}
