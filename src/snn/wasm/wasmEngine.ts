import { readFileSync } from 'node:fs';
import { SpikeflowError } from '../../errors.ts';
import type { NetworkParts } from '../assemble.ts';
import type { SpikeRecorder } from '../spikeRecorder.ts';
import type { SynapseTable } from '../delayGroups.ts';

/**
 * The scheduler loop of `Network.run` in WebAssembly (native/snn/engine.c, rebuilt by native/snn/build.sh) for
 * the common case: delta-synapse LIF populations, a single delay, no learning. Same algorithm and same double
 * operations in the same order as the JS path, so results are bit-identical (the Brian2 tests run on both).
 *
 * The network's state moves into the module's memory once: the LIF arrays and the CSR tables are then views
 * into it (re-made whenever the memory grows), so the JS side reads weights and potentials as before. One
 * instance per network; the compiled module is shared.
 */

// Slot numbers of engine.c's `g`, population and table descriptors (all doubles).
const G = {
  NPOP: 0, POPS: 1, TABLES: 2, DELAY: 3,
  QT: 4, QP: 5, QN: 6, QMASK: 7, QHEAD: 8, QSIZE: 9,
  OUTT: 10, OUTN: 11, OUTP: 12, OUTCAP: 13, OUTCOUNT: 14,
  INT: 15, INN: 16, INCOUNT: 17, INSOURCE: 18, K: 19,
  PREVIOUS: 20, ROUNDS: 21, UNTIL: 22, MAXROUNDS: 23,
  SYNAPTIC: 24, SPIKES: 25, NEED: 26, ERRT: 27, TOUCHED: 28,
} as const;
const G_COUNT = 29;
const P = {
  LIF: 0, SIZE: 1, V: 2, TLAST: 3, ACC: 4, MARK: 5, TOUCHED: 6, SPIKED: 7,
  TABLE: 8, TABLELEN: 9, TFIRST: 10, TCOUNT: 11, EMITS: 12,
  TAU: 13, VREST: 14, THRESHOLD: 15, VRESET: 16, REFRACTORY: 17,
  STRIDE: 24,
} as const;
const T = { ROWPTR: 0, POST: 1, W: 2, TARGET: 3, STRIDE: 4 } as const;
/** engine.c's MAX_POPULATIONS and MAX_TABLES (a test checks they match the module's). */
export const WASM_MAX_POPULATIONS = 64;
export const WASM_MAX_TABLES = 256;
const STATUS_DONE = 0;
const STATUS_NEED_ROOM = 1;
const STATUS_YIELD = 3;
const PAGE = 65536;
/** Input spikes copied into the module's memory per engine call (12 bytes each: fits the L2 cache). */
export const INPUT_CHUNK = 1 << 16;

interface Exports {
  memory: WebAssembly.Memory;
  __heap_base: WebAssembly.Global;
  engine_globals(): number;
  engine_run(): number;
  engine_max_populations(): number;
  engine_max_tables(): number;
}

type ArrayKind = Float64ArrayConstructor | Int32ArrayConstructor | Uint8ArrayConstructor;

/** A typed-array field of some object that must always view [address, address + length) of the memory. */
interface Binding {
  owner: Record<string, unknown>;
  key: string;
  Kind: ArrayKind;
  address: number;
  length: number;
}

let compiled: WebAssembly.Module | undefined;

/** Whether networks use the WebAssembly engine unless their file says otherwise (SPIKEFLOW_NO_WASM=1: never). */
export function wasmEngineByDefault(): boolean {
  return process.env.SPIKEFLOW_NO_WASM !== '1';
}

/** Why this network needs the general JS scheduler, or null when the wasm engine can run it. */
export function wasmEngineRefusal(parts: NetworkParts): string | null {
  if (parts.rules.length > 0) return 'it has plastic (STDP) projections';
  if (parts.populations.some((p) => p.lif?.exponential === true)) return 'it has exponential synapses';
  if (new Set(parts.groups.map((g) => g.delayUs)).size > 1) return 'its synapses have more than one delay';
  if (parts.populations.length > WASM_MAX_POPULATIONS) return `it has more than ${WASM_MAX_POPULATIONS} populations`;
  const tables = parts.groups.reduce((n, g) => n + g.tables.length, 0);
  if (tables > WASM_MAX_TABLES) return `it has more than ${WASM_MAX_TABLES} synapse tables`;
  return null;
}

export interface WasmRunResult {
  /** Input spikes consumed (those with t < until). */
  consumed: number;
  synapticEvents: number;
  spikes: number;
}

export class WasmEngine {
  private readonly e: Exports;
  private readonly bindings: Binding[] = [];
  private g: Float64Array;
  private readonly gAddress: number;
  private top: number;
  private readonly recorders: readonly SpikeRecorder[];
  private inCapacity = 0;
  private outCapacity: number;

  constructor(parts: NetworkParts, maxRounds: number, recorders: readonly SpikeRecorder[]) {
    this.e = exportsOf(instantiate());
    this.recorders = recorders;
    this.gAddress = this.e.engine_globals();
    this.g = new Float64Array(this.e.memory.buffer, this.gAddress, G_COUNT);
    this.top = align(this.e.__heap_base.value as number);
    const { populations, groups } = parts;
    const delay = groups.length > 0 ? groups[0].delayUs : 0;
    this.ensure(this.top + bytesNeeded(parts)); // one grow up front: growing re-makes every view
    const popDesc = this.alloc(8 * P.STRIDE * populations.length);
    const tableList: SynapseTable[] = [];
    const firstTable: number[] = [];
    for (const p of populations) {
      firstTable.push(tableList.length);
      for (const group of groups) if (group.source === p.index) tableList.push(...group.tables);
    }
    const tableDesc = this.alloc(8 * T.STRIDE * Math.max(1, tableList.length));
    let totalLif = 0;
    const pd: number[][] = populations.map((p, i) => {
      const d = new Array<number>(P.STRIDE).fill(0);
      d[P.SIZE] = p.size;
      d[P.TFIRST] = firstTable[i];
      d[P.TCOUNT] = (i + 1 < populations.length ? firstTable[i + 1] : tableList.length) - firstTable[i];
      d[P.EMITS] = d[P.TCOUNT] > 0 ? 1 : 0;
      const lif = p.lif;
      if (lif === null) return d;
      totalLif += p.size;
      d[P.LIF] = 1;
      d[P.V] = this.adopt(lif as never, 'v', lif.v);
      d[P.TLAST] = this.adopt(lif as never, 'tLast', lif.tLast);
      d[P.ACC] = this.adopt(lif as never, 'acc', lif.acc);
      d[P.MARK] = this.adopt(lif as never, 'mark', lif.mark);
      d[P.TOUCHED] = this.adopt(lif as never, 'touched', lif.touched);
      d[P.SPIKED] = this.adopt(lif as never, 'spiked', lif.spiked);
      d[P.TABLE] = this.adopt(lif.decay as never, 'table', lif.decay.table);
      d[P.TABLELEN] = lif.decay.table.length;
      d[P.TAU] = lif.decay.tauUs;
      d[P.VREST] = lif.params.vRest;
      d[P.THRESHOLD] = lif.params.threshold;
      d[P.VRESET] = lif.params.vReset;
      d[P.REFRACTORY] = lif.params.refractoryUs;
      return d;
    });
    const td = tableList.map((table) => {
      const d = new Array<number>(T.STRIDE).fill(0);
      d[T.ROWPTR] = this.adopt(table as never, 'rowPtr', table.rowPtr);
      d[T.POST] = this.adopt(table as never, 'post', table.post);
      d[T.W] = this.adopt(table as never, 'w', table.w);
      d[T.TARGET] = table.targetIndex;
      return d;
    });
    const queueCapacity = pow2AtLeast(Math.max(1024, 2 * totalLif));
    this.outCapacity = Math.max(4096, 2 * totalLif);
    const qt = this.alloc(8 * queueCapacity);
    const qp = this.alloc(4 * queueCapacity);
    const qn = this.alloc(4 * queueCapacity);
    const outT = this.alloc(8 * this.outCapacity);
    const outN = this.alloc(4 * this.outCapacity);
    const outP = this.alloc(4 * this.outCapacity);
    this.ensure(this.top);
    new Float64Array(this.e.memory.buffer, popDesc, P.STRIDE * populations.length).set(pd.flat());
    new Float64Array(this.e.memory.buffer, tableDesc, T.STRIDE * tableList.length).set(td.flat());
    const g = this.g;
    g.fill(0);
    g[G.NPOP] = populations.length;
    g[G.POPS] = popDesc;
    g[G.TABLES] = tableDesc;
    g[G.DELAY] = delay;
    g[G.QT] = qt;
    g[G.QP] = qp;
    g[G.QN] = qn;
    g[G.QMASK] = queueCapacity - 1;
    g[G.OUTT] = outT;
    g[G.OUTN] = outN;
    g[G.OUTP] = outP;
    g[G.OUTCAP] = this.outCapacity;
    g[G.MAXROUNDS] = maxRounds;
  }

  /** Pending deliveries in the engine's FIFO. */
  get queueSize(): number {
    return this.g[G.QSIZE];
  }

  /**
   * Delivers every input and queued spike with t < until; spikes go to the population's recorder.
   *
   * The input goes into the module's memory a chunk at a time (INPUT_CHUNK spikes, never splitting the spikes
   * of one timestamp, which belong to one round): a fixed, cache-sized buffer instead of a copy of the whole
   * input, whose fresh pages cost more than the copy and stay in the peak RSS. Each chunk runs up to the time
   * of the next one, so the rounds are the same as with the whole input at once.
   */
  run(times: Float64Array, neurons: Uint32Array, source: number, until: number): WasmRunResult {
    const n = times.length;
    const g = this.g;
    g[G.INSOURCE] = source;
    g[G.PREVIOUS] = -1;
    g[G.ROUNDS] = 0;
    g[G.SYNAPTIC] = 0;
    g[G.SPIKES] = 0;
    let consumed = 0;
    for (;;) {
      let end = Math.min(n, consumed + INPUT_CHUNK);
      if (end < n) {
        while (end > consumed && times[end - 1] === times[end]) end--;
        // One timestamp with more than a chunk of spikes: the chunk takes all of them.
        if (end === consumed) for (end = consumed + 1; end < n && times[end] === times[consumed]; ) end++;
      }
      const chunkUntil = end < n ? Math.min(times[end], until) : until;
      const taken = this.runChunk(times.subarray(consumed, end), neurons.subarray(consumed, end), chunkUntil);
      const wholeChunk = taken === end - consumed;
      consumed += taken;
      // Stop at the end of the input, at `until`, or where the engine stopped inside a chunk (its time reached).
      if (end === n || !wholeChunk || chunkUntil === until) break;
    }
    return { consumed, synapticEvents: this.g[G.SYNAPTIC], spikes: this.g[G.SPIKES] };
  }

  /** Runs the engine over one chunk of input up to `until`; returns the input spikes it consumed. */
  private runChunk(times: Float64Array, neurons: Uint32Array, until: number): number {
    const n = times.length;
    if (n > this.inCapacity) {
      this.inCapacity = Math.max(n, 2 * this.inCapacity, 1024);
      this.g[G.INT] = this.alloc(8 * this.inCapacity);
      this.g[G.INN] = this.alloc(4 * this.inCapacity);
      this.ensure(this.top);
    }
    const g = this.g;
    new Float64Array(this.e.memory.buffer, g[G.INT], n).set(times);
    new Uint32Array(this.e.memory.buffer, g[G.INN], n).set(neurons);
    g[G.INCOUNT] = n;
    g[G.K] = 0;
    g[G.UNTIL] = until;
    for (;;) {
      const status = this.e.engine_run();
      this.drainOutput();
      if (status === STATUS_DONE) break;
      if (status === STATUS_YIELD) continue; // a long run in slices, so V8's optimised code takes over early
      if (status !== STATUS_NEED_ROOM) {
        throw new SpikeflowError(
          `activity at t=${this.g[G.ERRT]} µs did not settle after ${this.g[G.MAXROUNDS]} zero-delay rounds (a zero-delay loop through neurons without a refractory period?)`,
        );
      }
      this.growQueue(this.g[G.NEED]);
    }
    return this.g[G.K];
  }

  /** Hands the engine's output to the recorders, one block copy per run of spikes of one population. */
  private drainOutput(): void {
    const g = this.g;
    const count = g[G.OUTCOUNT];
    if (count === 0) return;
    const buffer = this.e.memory.buffer;
    const t = new Float64Array(buffer, g[G.OUTT], count);
    const neuron = new Int32Array(buffer, g[G.OUTN], count);
    const population = new Int32Array(buffer, g[G.OUTP], count);
    const recorders = this.recorders;
    for (let start = 0; start < count; ) {
      const p = population[start];
      let end = start + 1;
      while (end < count && population[end] === p) end++;
      recorders[p].addAll(t.subarray(start, end), neuron.subarray(start, end));
      start = end;
    }
    g[G.OUTCOUNT] = 0;
  }

  /** A larger ring for the FIFO, its entries copied in order to its start. */
  private growQueue(need: number): void {
    const oldCapacity = this.g[G.QMASK] + 1;
    if (need <= oldCapacity) return; // the output was the short one, and it was just drained
    const capacity = pow2AtLeast(2 * need);
    const qt = this.alloc(8 * capacity);
    const qp = this.alloc(4 * capacity);
    const qn = this.alloc(4 * capacity);
    this.ensure(this.top);
    // Only now: growing the memory detached the previous view of the globals.
    const g = this.g;
    const buffer = this.e.memory.buffer;
    const size = g[G.QSIZE];
    const head = g[G.QHEAD];
    const move = (Kind: Float64ArrayConstructor | Int32ArrayConstructor, from: number, to: number) => {
      const old = new Kind(buffer, from, oldCapacity);
      const next = new Kind(buffer, to, capacity);
      for (let k = 0; k < size; k++) next[k] = old[(head + k) & (oldCapacity - 1)];
    };
    move(Float64Array, g[G.QT], qt);
    move(Int32Array, g[G.QP], qp);
    move(Int32Array, g[G.QN], qn);
    g[G.QT] = qt;
    g[G.QP] = qp;
    g[G.QN] = qn;
    g[G.QMASK] = capacity - 1;
    g[G.QHEAD] = 0;
  }

  /** Copies an array into the memory and makes `owner[key]` a view of the copy from now on. */
  private adopt(owner: Record<string, unknown>, key: string, array: Float64Array | Int32Array | Uint8Array): number {
    const Kind = array.constructor as ArrayKind;
    const address = this.alloc(array.byteLength);
    this.ensure(this.top);
    new Kind(this.e.memory.buffer, address, array.length).set(array);
    this.bindings.push({ owner, key, Kind, address, length: array.length });
    owner[key] = new Kind(this.e.memory.buffer, address, array.length);
    return address;
  }

  private alloc(bytes: number): number {
    const address = this.top;
    this.top = align(this.top + bytes);
    return address;
  }

  /** Grows the memory to cover addresses below `end`, then re-makes every view (the old ones are detached). */
  private ensure(end: number): void {
    const memory = this.e.memory;
    if (end <= memory.buffer.byteLength) return;
    memory.grow(Math.ceil((end - memory.buffer.byteLength) / PAGE));
    const buffer = memory.buffer;
    this.g = new Float64Array(buffer, this.gAddress, G_COUNT);
    for (const b of this.bindings) b.owner[b.key] = new b.Kind(buffer, b.address, b.length);
  }
}

/** Everything the constructor allocates (descriptors, state, tables, queue, output), with alignment slack. */
function bytesNeeded(parts: NetworkParts): number {
  let bytes = 0;
  let totalLif = 0;
  const add = (n: number) => (bytes += align(n) + 64);
  for (const p of parts.populations) {
    add(8 * P.STRIDE);
    const lif = p.lif;
    if (lif === null) continue;
    totalLif += p.size;
    for (const a of [lif.v, lif.tLast, lif.acc, lif.mark, lif.touched, lif.spiked, lif.decay.table]) add(a.byteLength);
  }
  for (const g of parts.groups) {
    for (const t of g.tables) for (const a of [t.rowPtr, t.post, t.w]) add(a.byteLength + 8 * T.STRIDE);
  }
  add(16 * pow2AtLeast(Math.max(1024, 2 * totalLif)));
  add(16 * Math.max(4096, 2 * totalLif));
  return bytes;
}

function align(n: number): number {
  return Math.ceil(n / 64) * 64;
}

function pow2AtLeast(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** A fresh instance (its own memory) of the once-compiled module. */
export function instantiate(): WebAssembly.Instance {
  compiled ??= new WebAssembly.Module(readFileSync(new URL('./engine.wasm', import.meta.url)));
  return new WebAssembly.Instance(compiled, { env: { exp: Math.exp } });
}

function exportsOf(instance: WebAssembly.Instance): Exports {
  return instance.exports as unknown as Exports;
}
