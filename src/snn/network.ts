import { dirname } from 'node:path';
import { ConfigError, SpikeflowError } from '../errors.ts';
import type { SpikeBatch } from '../events/spikeBatch.ts';
import { assembleNetwork, type NetworkParts } from './assemble.ts';
import type { DelayGroup } from './delayGroups.ts';
import type { Population } from './populations.ts';
import type { SpikeQueue } from './queue/spikeQueue.ts';
import type { NetworkSpec } from './spec.ts';
import { SpikeRecorder } from './spikeRecorder.ts';
import type { StdpRule } from './stdp.ts';
import { WasmEngine, wasmEngineByDefault, wasmEngineRefusal } from './wasm/wasmEngine.ts';

export type { NetworkSpec } from './spec.ts';

const MAX_ROUNDS_PER_TIME = 10_000;

/** The spikes every non-source population emitted with t < until, per population name. */
export interface NetworkOutput {
  until: number;
  spikes: Record<string, SpikeBatch>;
}

export interface NetworkStats {
  /** Synaptic deliveries (one per synapse per presynaptic spike), since the network was built. */
  synapticEvents: number;
  /** Spikes emitted by non-source populations. */
  spikes: number;
  /** Input spikes consumed. */
  inputSpikes: number;
}

/**
 * Builds a network from the JSON network-file schema (DESIGN.md). `baseDir` resolves relative `synapses` CSV
 * paths (default: the working directory).
 */
export function buildNetwork(spec: NetworkSpec, baseDir = '.'): Network {
  return new Network(assembleNetwork(spec, baseDir), spec.engine);
}

export const engineKinds = ['auto', 'js', 'wasm'] as const;

/** Builds from a parsed file, resolving CSV paths next to it. */
export function buildNetworkFromFile(spec: NetworkSpec, networkPath: string): Network {
  return buildNetwork(spec, dirname(networkPath));
}

/**
 * An event-driven spiking network. Time is integer µs. `run(input, until)` delivers every spike with t < until
 * and returns every spike emitted with t < until; state (potentials, pending deliveries, weights) persists.
 */
export class Network {
  readonly populations: readonly Population[];
  readonly queueKind: string;
  private readonly groups: readonly DelayGroup[];
  /**
   * Per population, the delay groups each neuron actually feeds (CSR: neuron i's groups are
   * emitGroups[p][emitPtr[p][i] .. emitPtr[p][i+1]-1]), so a spike queues one entry per distinct delay of its
   * own synapses, even when per-synapse delays make many groups.
   */
  private readonly emitPtr: readonly Int32Array[];
  private readonly emitGroups: readonly Int32Array[];
  /** Learning rules whose post side is each population. */
  private readonly rulesByTarget: readonly StdpRule[][];
  /** For each delay group: per table, its learning rule or null. */
  private readonly rulesOfGroup: readonly (StdpRule | null)[][];
  private readonly rules: readonly StdpRule[];
  private readonly queue: SpikeQueue;
  private readonly wakeGroupBase: number;
  private readonly recorders: SpikeRecorder[];
  private currentTime = 0;
  private pendingT = new Float64Array(0);
  private pendingNeuron = new Uint32Array(0);
  private pendingPopulation = '';
  /** The WebAssembly scheduler, when this network runs on it (else the JS loop below with `queue`). */
  private readonly wasm: WasmEngine | null;
  readonly stats: NetworkStats = { synapticEvents: 0, spikes: 0, inputSpikes: 0 };

  /**
   * `engine`: "auto" (default) runs on the WebAssembly engine when the network fits it (delta-synapse LIF, one
   * delay, no learning, queue "auto" or "fifo") unless SPIKEFLOW_NO_WASM=1; "js" always uses the JS loop;
   * "wasm" requires the WebAssembly engine. Both give bit-identical results.
   */
  constructor(parts: NetworkParts, engine: string = 'auto') {
    this.populations = parts.populations;
    this.groups = parts.groups;
    this.queue = parts.queue;
    this.queueKind = parts.queue.kind;
    this.rules = parts.rules.map((r) => r.rule);
    const emit = this.populations.map((p) => emitLists(p.size, this.groups, p.index));
    this.emitPtr = emit.map((e) => e.ptr);
    this.emitGroups = emit.map((e) => e.groups);
    this.rulesByTarget = this.populations.map((p) => parts.rules.filter((r) => r.table.targetIndex === p.index).map((r) => r.rule));
    this.rulesOfGroup = this.groups.map((g) => g.tables.map((t) => parts.rules.find((r) => r.table === t)?.rule ?? null));
    this.wakeGroupBase = this.groups.length;
    this.recorders = this.populations.map(() => new SpikeRecorder());
    this.wasm = this.chooseWasm(parts, engine);
  }

  /** "wasm" or "js": which scheduler runs this network. */
  get engine(): string {
    return this.wasm === null ? 'js' : 'wasm';
  }

  private chooseWasm(parts: NetworkParts, engine: string): WasmEngine | null {
    if (!(engineKinds as readonly string[]).includes(engine)) throw new ConfigError('engine', engine, `one of ${engineKinds.join(', ')}`);
    if (engine === 'js' || (engine === 'auto' && !wasmEngineByDefault())) return null;
    const refusal = wasmEngineRefusal(parts) ?? (parts.queue.kind !== 'fifo' ? `its queue is "${parts.queue.kind}" (the wasm engine has a FIFO only)` : null);
    if (refusal === null) return new WasmEngine(parts, MAX_ROUNDS_PER_TIME, this.recorders);
    if (engine === 'wasm') throw new ConfigError('engine', engine, `"auto" or "js" for this network: ${refusal}`);
    return null;
  }

  /** True when nothing is pending: no queued delivery and no input spike kept for a later call. */
  get idle(): boolean {
    return (this.wasm === null ? this.queue.size : this.wasm.queueSize) === 0 && this.pendingT.length === 0;
  }

  /** The longest synaptic delay (µs): activity dies out within it once the network is idle of input. */
  get maxDelayUs(): number {
    return this.groups.reduce((max, g) => Math.max(max, g.delayUs), 0);
  }

  /** Simulated time reached: everything before it has been delivered and emitted. */
  get now(): number {
    return this.currentTime;
  }

  population(name: string): Population {
    const p = this.populations.find((q) => q.name === name);
    if (p === undefined) throw new ConfigError('population', name, `one of ${this.populations.map((q) => q.name).join(', ')}`);
    return p;
  }

  /** The first source population (the default target of input spikes). */
  get defaultSource(): string {
    const source = this.populations.find((p) => p.lif === null);
    return source === undefined ? '' : source.name;
  }

  /** Weights of a projection's synapses, in the order they were created (CSV / connect order). */
  weights(projection: number): Float64Array {
    const tables = this.groups.flatMap((g) => g.tables).filter((t) => t.projection === projection);
    if (tables.length === 0) throw new ConfigError('projection', projection, 'the index of a projection with synapses');
    const n = tables.reduce((sum, t) => sum + t.w.length, 0);
    const out = new Float64Array(n);
    for (const t of tables) for (let s = 0; s < t.w.length; s++) out[t.origin[s]] = t.w[s];
    return out;
  }

  /** External reward for reward-modulated STDP, applied at the current simulated time. */
  reward(amount: number): void {
    for (const rule of this.rules) rule.reward(amount, this.currentTime);
  }

  run(input: SpikeBatch, until: number): NetworkOutput {
    if (!(until >= this.currentTime)) {
      throw new ConfigError('until', until, `a time >= the network's current time (${this.currentTime} µs)`);
    }
    const [times, neurons, source] = this.takeInput(input);
    const lifPopulations = this.populations.filter((p) => p.lif !== null);
    const k = this.wasm === null ? this.runJs(times, neurons, source, until) : this.runWasm(times, neurons, source, until);
    this.stats.inputSpikes += k;
    this.keepPending(times, neurons, k, source);
    this.currentTime = until;
    const spikes: Record<string, SpikeBatch> = {};
    for (const p of lifPopulations) spikes[p.name] = this.recorders[p.index].take(p.name, until);
    return { until, spikes };
  }

  private runWasm(times: Float64Array, neurons: Uint32Array, source: number, until: number): number {
    const result = this.wasm!.run(times, neurons, source, until);
    this.stats.synapticEvents += result.synapticEvents;
    this.stats.spikes += result.spikes;
    return result.consumed;
  }

  /** The general scheduler: every queue, exponential synapses, learning rules. Returns the inputs consumed. */
  private runJs(times: Float64Array, neurons: Uint32Array, source: number, until: number): number {
    const n = times.length;
    const queue = this.queue;
    const lifPopulations = this.populations.filter((p) => p.lif !== null);
    let k = 0;
    let previous = -1;
    let roundsAtSameTime = 0;
    for (;;) {
      const tq = queue.peekTime();
      const ti = k < n ? times[k] : Infinity;
      const t = tq < ti ? tq : ti;
      if (!(t < until)) break;
      // Zero delays make extra rounds at the same time; only a zero-delay loop without refractoriness never ends.
      roundsAtSameTime = t === previous ? roundsAtSameTime + 1 : 0;
      previous = t;
      if (roundsAtSameTime > MAX_ROUNDS_PER_TIME) {
        throw new SpikeflowError(`activity at t=${t} µs did not settle after ${MAX_ROUNDS_PER_TIME} zero-delay rounds (a zero-delay loop through neurons without a refractory period?)`);
      }
      queue.setNow(t);
      for (; k < n && times[k] === t; k++) this.emit(source, neurons[k], t);
      while (queue.size > 0 && queue.peekTime() === t) {
        queue.pop();
        this.deliver(queue.poppedGroup, queue.poppedNeuron, t);
      }
      for (const p of lifPopulations) if (p.lif!.nTouched > 0) this.updatePopulation(p, t);
    }
    return k;
  }

  private deliver(group: number, neuron: number, t: number): void {
    if (group >= this.wakeGroupBase) {
      const lif = this.populations[group - this.wakeGroupBase].lif!;
      if (lif.wakeAt[neuron] === t) lif.touch(neuron);
      return;
    }
    const tables = this.groups[group].tables;
    const rules = this.rulesOfGroup[group];
    for (let i = 0; i < tables.length; i++) {
      const table = tables[i];
      const start = table.rowPtr[neuron];
      const end = table.rowPtr[neuron + 1];
      this.stats.synapticEvents += end - start;
      table.target.deliver(start, end, table.post, table.w);
      const rule = rules[i];
      if (rule !== null) rule.onPreArrival(neuron, start, end, t);
    }
  }

  private updatePopulation(p: Population, t: number): void {
    const lif = p.lif!;
    const wakeGroup = this.wakeGroupBase + p.index;
    const count = lif.update(t, (j, tWake) => this.queue.push(tWake, wakeGroup, j));
    const recorder = this.recorders[p.index];
    const rules = this.rulesByTarget[p.index];
    for (let s = 0; s < count; s++) {
      const j = lif.spiked[s];
      recorder.add(t, j);
      for (const rule of rules) rule.onPostSpike(j, t);
      this.emit(p.index, j, t);
    }
    this.stats.spikes += count;
  }

  private emit(population: number, neuron: number, t: number): void {
    const ptr = this.emitPtr[population];
    const groups = this.emitGroups[population];
    for (let k = ptr[neuron]; k < ptr[neuron + 1]; k++) {
      const g = groups[k];
      this.queue.push(t + this.groups[g].delayUs, g, neuron);
    }
  }

  /** Input spikes of this call, preceded by any left over from the last call (t >= its until). */
  private takeInput(input: SpikeBatch): [Float64Array, Uint32Array, number] {
    const name = input.population === '' ? this.defaultSource : input.population;
    const source = this.population(name);
    if (source.lif !== null) throw new ConfigError('input.population', name, 'a population whose model is "source"');
    let times = input.t.subarray(0, input.length);
    let neurons = input.neuron.subarray(0, input.length);
    if (this.pendingT.length > 0) {
      if (this.pendingPopulation !== name) {
        throw new ConfigError('input.population', name, `"${this.pendingPopulation}" while spikes of it are still pending`);
      }
      times = concatFloat(this.pendingT, times);
      neurons = concatUint(this.pendingNeuron, neurons);
    }
    let last = this.currentTime;
    for (let i = 0; i < times.length; i++) {
      const t = times[i];
      if (!(t >= last) || !Number.isInteger(t)) {
        throw new ConfigError(`input.t[${i}]`, t, `an integer µs >= ${last} (inputs sorted by time, not before the network's time)`);
      }
      if (neurons[i] >= source.size) throw new ConfigError(`input.neuron[${i}]`, neurons[i], `0..${source.size - 1} (population ${name})`);
      last = t;
    }
    return [times, neurons, source.index];
  }

  private keepPending(times: Float64Array, neurons: Uint32Array, from: number, source: number): void {
    this.pendingT = times.slice(from);
    this.pendingNeuron = neurons.slice(from);
    this.pendingPopulation = this.populations[source].name;
  }
}

/** Which delay groups each neuron of a population has synapses in (ascending group index). */
function emitLists(size: number, groups: readonly DelayGroup[], source: number): { ptr: Int32Array; groups: Int32Array } {
  const mine = groups.map((g, index) => ({ g, index })).filter(({ g }) => g.source === source);
  const hasRow = (g: DelayGroup, i: number) => g.tables.some((t) => t.rowPtr[i + 1] > t.rowPtr[i]);
  const ptr = new Int32Array(size + 1);
  for (const { g } of mine) for (let i = 0; i < size; i++) if (hasRow(g, i)) ptr[i + 1]++;
  for (let i = 0; i < size; i++) ptr[i + 1] += ptr[i];
  const fill = ptr.slice(0, size);
  const out = new Int32Array(ptr[size]);
  for (const { g, index } of mine) for (let i = 0; i < size; i++) if (hasRow(g, i)) out[fill[i]++] = index;
  return { ptr, groups: out };
}

function concatFloat(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function concatUint(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
