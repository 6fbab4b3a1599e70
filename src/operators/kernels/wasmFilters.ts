import { readFileSync } from 'node:fs';
import type { EventBatch } from '../../events/eventBatch.ts';
import { withArrays } from './gather.ts';
import type { KeptEvents } from './keptEvents.ts';

/**
 * The relative-time loops of the background-activity and refractory filters in WebAssembly (`filters.wasm`, C
 * source and build script in native/filters/). Each filter state gets its own instance, whose memory holds the
 * state's last-time map (handed to relativeTimes.ts as its Int32Array, so rebasing and the switch to absolute
 * times stay in JavaScript) and up to 65 536 input events. Events are copied in, the loop keeps them in place,
 * and the kept ones are copied out: about 13 bytes per event each way, paid back by a loop without bounds
 * checks or branches on the outcome. Off when SPIKEFLOW_NO_WASM=1 (or when the module does not
 * compile): the JavaScript loops then run, with identical results.
 */
export class WasmFilterLoops {
  /** The state's last-time map (int32 relative times), in the instance's memory. */
  readonly map: Int32Array;
  private readonly t: Float64Array;
  private readonly x: Uint16Array;
  private readonly y: Uint16Array;
  private readonly p: Uint8Array;
  private readonly taken: Int32Array;
  /** Events one call takes at most. */
  readonly capacity: number;
  /** Set by release: the instance may already serve another state. */
  private released = false;
  private readonly backgroundActivityLoop: (
    n: number, map: number, base: number, stride: number, window: number, selfBar: number,
  ) => number;
  private readonly refractoryLoop: (
    n: number, map: number, base: number, width: number, cellsPerPixel: number, polarityMask: number, period: number,
  ) => number;

  /**
   * An instance with a map of `cells` int32 cells, or undefined when WebAssembly is off or the map does not fit.
   * Reuses a released instance when there is one: a new instance's memory is fresh pages, and on this kind of VM
   * each 4 KiB page costs ~10 µs to fault in, so a 1280 × 720 map (3.7 MB, ~900 pages) plus the event staging
   * area cost ~10 ms per subscription, more than filtering a 10 ms recording at 25 M ev/s.
   */
  static create(cells: number): WasmFilterLoops | undefined {
    const module = wasmFiltersEnabled() ? compiledModule() : undefined;
    if (module === undefined) return undefined;
    const exports = idleInstances.pop() ?? (new WebAssembly.Instance(module, {}).exports as Record<string, unknown>);
    const memory = exports.memory as WebAssembly.Memory;
    const mapAt = Math.ceil(((exports.__heap_base as WebAssembly.Global).value as number) / 64) * 64;
    // 4 cells of slack: the background-activity loop reads up to 2 cells past the last pixel of a row.
    const end = mapAt + 4 * (cells + 4);
    if (end > MAX_MEMORY_BYTES) {
      release(exports);
      return undefined;
    }
    const have = memory.buffer.byteLength;
    if (end > have) memory.grow(Math.ceil((end - have) / 65536));
    return new WasmFilterLoops(exports, memory.buffer, mapAt, cells);
  }

  /**
   * Hands the instance (its warm memory) to the next create. Called when the subscription that owns the state
   * ends; this object and its map must not be used afterwards. Batches handed out never alias the instance's
   * memory (kept events are copied out), so they stay valid. Calling it twice is harmless.
   */
  release(): void {
    if (this.released) return;
    this.released = true;
    release(this.exports);
  }

  private constructor(
    private readonly exports: Record<string, unknown>, buffer: ArrayBuffer, mapAt: number, cells: number,
  ) {
    const layout = exports.filters_layout as (which: number) => number;
    this.capacity = layout(5);
    this.t = new Float64Array(buffer, layout(0), this.capacity);
    this.x = new Uint16Array(buffer, layout(1), this.capacity);
    this.y = new Uint16Array(buffer, layout(2), this.capacity);
    this.p = new Uint8Array(buffer, layout(3), this.capacity);
    this.taken = new Int32Array(buffer, layout(4), 1);
    this.map = new Int32Array(buffer, mapAt, cells);
    this.backgroundActivityLoop = exports.background_activity as WasmFilterLoops['backgroundActivityLoop'];
    this.refractoryLoop = exports.refractory as WasmFilterLoops['refractoryLoop'];
  }

  /**
   * supportRelative (backgroundActivityLoops.ts) on this instance's map: events from..n, kept ones appended to
   * `out` from slot `kept`; stops at the first time the relative map cannot hold, leaving [next, kept] in `cursor`.
   */
  backgroundActivity(
    batch: EventBatch, from: number, n: number, base: number, stride: number, window: number, selfBar: number,
    out: KeptEvents, kept: number, cursor: Int32Array,
  ): void {
    const map = this.map.byteOffset;
    this.run(batch, from, n, out, kept, cursor, (count) => this.backgroundActivityLoop(count, map, base, stride, window, selfBar));
  }

  /**
   * backgroundActivity over a whole batch of at most `capacity` events in one call. When the loop takes them all,
   * the kept events come straight out of the instance as a new batch (four exact arrays: no staging copy, and
   * smaller fresh allocations than one buffer, which page-fault less). Otherwise the kept events so far are
   * copied into `out`, [next, kept] is left in `cursor` and the result is undefined: the caller goes on from there.
   */
  backgroundActivityBatch(
    batch: EventBatch, base: number, stride: number, window: number, selfBar: number, out: KeptEvents, cursor: Int32Array,
  ): EventBatch | undefined {
    const n = batch.length;
    this.t.set(batch.t);
    this.x.set(batch.x);
    this.y.set(batch.y);
    this.p.set(batch.p);
    const kept = this.backgroundActivityLoop(n, this.map.byteOffset, base, stride, window, selfBar);
    const taken = this.taken[0]!;
    if (taken === n) {
      return withArrays(batch, batch, this.t.slice(0, kept), this.x.slice(0, kept), this.y.slice(0, kept), this.p.slice(0, kept));
    }
    out.t.set(this.t.subarray(0, kept));
    out.x.set(this.x.subarray(0, kept));
    out.y.set(this.y.subarray(0, kept));
    out.p.set(this.p.subarray(0, kept));
    cursor[0] = taken;
    cursor[1] = kept;
    return undefined;
  }

  /** refractoryRelative (refractoryLoops.ts) on this instance's map, with the kept events appended to `out`. */
  refractory(
    batch: EventBatch, from: number, n: number, base: number, width: number, cellsPerPixel: number,
    polarityMask: number, period: number, out: KeptEvents, kept: number, cursor: Int32Array,
  ): void {
    const map = this.map.byteOffset;
    this.run(batch, from, n, out, kept, cursor, (count) =>
      this.refractoryLoop(count, map, base, width, cellsPerPixel, polarityMask, period),
    );
  }

  private run(
    batch: EventBatch, from: number, n: number, out: KeptEvents, kept: number, cursor: Int32Array,
    loop: (count: number) => number,
  ): void {
    let i = from;
    let k = kept;
    while (i < n) {
      const count = Math.min(this.capacity, n - i);
      this.t.set(batch.t.subarray(i, i + count));
      this.x.set(batch.x.subarray(i, i + count));
      this.y.set(batch.y.subarray(i, i + count));
      this.p.set(batch.p.subarray(i, i + count));
      const chunkKept = loop(count);
      out.t.set(this.t.subarray(0, chunkKept), k);
      out.x.set(this.x.subarray(0, chunkKept), k);
      out.y.set(this.y.subarray(0, chunkKept), k);
      out.p.set(this.p.subarray(0, chunkKept), k);
      k += chunkKept;
      const taken = this.taken[0]!;
      i += taken;
      if (taken < count) break;
    }
    cursor[0] = i;
    cursor[1] = k;
  }
}

/** wasm32 addresses 4 GiB; stay a page below. */
const MAX_MEMORY_BYTES = 2 ** 32 - 65536;

/**
 * Released instances waiting for reuse (exports of each). Two cover a pipeline with both filters run again and
 * again in one process; more would only hold memory (each keeps its grown map) that nothing asks for.
 */
const idleInstances: Record<string, unknown>[] = [];
const MAX_IDLE_INSTANCES = 2;

function release(exports: Record<string, unknown>): void {
  if (idleInstances.length < MAX_IDLE_INSTANCES) idleInstances.push(exports);
}

let override: boolean | undefined;
let fromEnvironment: boolean | undefined;
let compiled: WebAssembly.Module | null | undefined;

/** Whether new filter states use the WebAssembly loops: yes unless SPIKEFLOW_NO_WASM=1 or a test chose. */
export function wasmFiltersEnabled(): boolean {
  return override ?? (fromEnvironment ??= process.env.SPIKEFLOW_NO_WASM !== '1');
}

/** Forces the WebAssembly (true) or the JavaScript loops (false) for states created from now on; undefined: the environment. */
export function useWasmFilters(on: boolean | undefined): void {
  override = on;
}

function compiledModule(): WebAssembly.Module | undefined {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(readFileSync(new URL('./filters.wasm', import.meta.url)));
    } catch {
      compiled = null; // no SIMD in this engine: the JavaScript loops run
    }
  }
  return compiled ?? undefined;
}
