import { ConfigError } from '../errors.ts';
import type { SpikeBatch } from '../events/spikeBatch.ts';
import { createDecayTable, type DecayTable } from './decayTable.ts';
import { deltaLifStep, type DeltaLifState } from './deltaLifStep.ts';
import { readLifParams, type LifParams } from './lifParams.ts';
import type { NetworkOutput } from './network.ts';
import type { NetworkSpec } from './spec.ts';
import { SpikeRecorder } from './spikeRecorder.ts';

/**
 * The one network shape a detection pipeline runs, without synapse tables: a source grid of [W, H, C] cells
 * feeding a [W, H, 1] delta-synapse LIF grid through one weight-shared 2-D kernel (conv2d with merged channels,
 * stride 1, one delay). Each input spike adds the kernel around its cell directly, so nothing is built per
 * synapse: a 1280×720 sensor pooled by 4 would otherwise need half a million CSR slots built (and copied into
 * the engine) on every run.
 *
 * Bit-identical to `Network` on the same spec, because it performs the very double operations in the very
 * order: arrivals of one delivery time are summed per neuron in input order (an input reaches a neuron through
 * one kernel entry at most), then each touched neuron decays by the same table (or `Math.exp`), adds the sum,
 * and fires on `v > threshold`. Refractory neurons discard their input. Spikes emitted at t are
 * returned by the call whose `until` exceeds t; inputs whose delivery (t + delay) is not before `until` wait for
 * the next call, as queued deliveries do in `Network`.
 */
export class ConvLifLayer {
  readonly sourceName: string;
  readonly targetName: string;
  private readonly width: number;
  private readonly height: number;
  private readonly plane: number;
  private readonly sourceSize: number;
  private readonly delayUs: number;
  private readonly params: LifParams;
  private readonly decay: DecayTable;
  /** Non-zero kernel entries in connectConv2d's order: cell offsets of their targets, weights, and reach. */
  private readonly offset: Int32Array;
  private readonly weight: Float64Array;
  private readonly dx: Int32Array;
  private readonly dy: Int32Array;
  private readonly reachX: number;
  private readonly reachY: number;
  /** Potentials, last-update times, summed input and touched/spiked lists, as `deltaLifStep` reads them. */
  private readonly state: DeltaLifState;
  private nTouched = 0;
  private readonly recorder = new SpikeRecorder();
  /** Inputs received but not yet delivered (their delivery time was not before the last `until`). */
  private carryT = new Float64Array(0);
  private carryNeuron = new Uint32Array(0);
  private currentTime = 0;
  /** Delivery time of the group being summed (its neurons touched, not yet updated). */
  private openT = NaN;

  constructor(spec: ConvLifSpec) {
    const [w, h, c] = spec.sourceShape;
    this.sourceName = spec.sourceName;
    this.targetName = spec.targetName;
    this.width = w;
    this.height = h;
    this.plane = w * h;
    this.sourceSize = w * h * c;
    this.delayUs = spec.delayUs;
    this.params = spec.lif;
    this.decay = sharedDecayTable(spec.lif.tauUs);
    const kernel = spec.kernel;
    const ry = (kernel.length - 1) / 2;
    const rx = (kernel[0].length - 1) / 2;
    const offset: number[] = [];
    const weight: number[] = [];
    const dx: number[] = [];
    const dy: number[] = [];
    for (let ky = 0; ky < kernel.length; ky++) {
      for (let kx = 0; kx < kernel[0].length; kx++) {
        if (kernel[ky][kx] === 0) continue; // connectConv2d makes no synapse for a zero entry
        dx.push(rx - kx);
        dy.push(ry - ky);
        offset.push((ry - ky) * w + (rx - kx));
        weight.push(kernel[ky][kx] * spec.scale);
      }
    }
    this.offset = Int32Array.from(offset);
    this.weight = Float64Array.from(weight);
    this.dx = Int32Array.from(dx);
    this.dy = Int32Array.from(dy);
    this.reachX = rx;
    this.reachY = ry;
    const n = this.plane;
    this.state = {
      v: new Float64Array(n).fill(spec.lif.vRest),
      tLast: new Float64Array(n),
      acc: new Float64Array(n),
      mark: new Uint8Array(n),
      touched: new Int32Array(n + 1), // +1: the branch-free append writes one slot past the count
      spiked: new Int32Array(n),
    };
  }

  /** Simulated time reached: everything before it has been delivered and emitted. */
  get now(): number {
    return this.currentTime;
  }

  run(input: SpikeBatch, until: number): NetworkOutput {
    if (!(until >= this.currentTime)) {
      throw new ConfigError('until', until, `a time >= the network's current time (${this.currentTime} µs)`);
    }
    const name = input.population === '' ? this.sourceName : input.population;
    if (name !== this.sourceName) throw new ConfigError('input.population', name, `"${this.sourceName}" (the source of this network)`);
    this.check(input);
    // The carried inputs come first: they precede this call's inputs in time, as queued deliveries do.
    const carried = this.carryT.length;
    const stopCarry = this.deliver(this.carryT, this.carryNeuron, carried, until);
    const stopInput = stopCarry === carried ? this.deliver(input.t, input.neuron, input.length, until) : 0;
    if (this.nTouched > 0) this.update(this.openT);
    this.openT = NaN;
    this.keepCarry(stopCarry, stopInput, input);
    this.currentTime = until;
    return { until, spikes: { [this.targetName]: this.recorder.take(this.targetName, until) } };
  }


  /**
   * Adds the kernel of every spike delivered before `until` (delivery = t + delay) into `acc`, updating the
   * touched neurons whenever the delivery time changes. Returns the index of the first spike not delivered.
   */
  private deliver(times: Float64Array, neurons: Uint32Array, n: number, until: number): number {
    const { acc, mark, touched } = this.state;
    const { offset, weight, dx, dy, plane, width, height } = this;
    const entries = offset.length;
    const delay = this.delayUs;
    const rx = this.reachX;
    const ry = this.reachY;
    let current = this.openT;
    let nTouched = this.nTouched;
    let i = 0;
    for (; i < n; i++) {
      const d = times[i] + delay;
      if (!(d < until)) break;
      if (d !== current) {
        if (nTouched > 0) {
          this.nTouched = nTouched;
          this.update(current);
          nTouched = 0;
        }
        current = d;
      }
      const cell = neurons[i] % plane;
      const y = (cell / width) | 0;
      const x = cell - y * width;
      if (x >= rx && x < width - rx && y >= ry && y < height - ry) {
        for (let e = 0; e < entries; e++) {
          const j = cell + offset[e];
          acc[j] += weight[e];
          touched[nTouched] = j;
          nTouched += 1 - mark[j];
          mark[j] = 1;
        }
      } else {
        for (let e = 0; e < entries; e++) {
          const ox = x + dx[e];
          const oy = y + dy[e];
          if (ox < 0 || ox >= width || oy < 0 || oy >= height) continue;
          const j = cell + offset[e];
          acc[j] += weight[e];
          touched[nTouched] = j;
          nTouched += 1 - mark[j];
          mark[j] = 1;
        }
      }
    }
    this.nTouched = nTouched;
    this.openT = current;
    return i;
  }

  /** The same delta-LIF step as `Network`'s populations, then the spikes recorded in ascending neuron order. */
  private update(t: number): void {
    const spiked = this.state.spiked;
    const nSpiked = deltaLifStep(this.state, this.nTouched, t, this.params, this.decay);
    this.nTouched = 0;
    if (nSpiked > 1) spiked.subarray(0, nSpiked).sort();
    for (let s = 0; s < nSpiked; s++) this.recorder.add(t, spiked[s]);
  }

  /** Inputs must be integer µs, sorted, not before the network's time (or the carried inputs), within the source. */
  private check(input: SpikeBatch): void {
    // Carried inputs may predate the network's time (delivered later), never the new ones.
    let last = Math.max(this.currentTime, this.carryT.length > 0 ? this.carryT[this.carryT.length - 1] : 0);
    const { t, neuron } = input;
    for (let i = 0; i < input.length; i++) {
      const ti = t[i];
      if (!(ti >= last) || !Number.isInteger(ti)) {
        throw new ConfigError(`input.t[${i}]`, ti, `an integer µs >= ${last} (inputs sorted by time, not before the network's time)`);
      }
      if (neuron[i] >= this.sourceSize) throw new ConfigError(`input.neuron[${i}]`, neuron[i], `0..${this.sourceSize - 1} (population ${this.sourceName})`);
      last = ti;
    }
  }

  private keepCarry(stopCarry: number, stopInput: number, input: SpikeBatch): void {
    const fromCarry = this.carryT.length - stopCarry;
    const fromInput = input.length - stopInput;
    const t = new Float64Array(fromCarry + fromInput);
    const neuron = new Uint32Array(fromCarry + fromInput);
    t.set(this.carryT.subarray(stopCarry));
    neuron.set(this.carryNeuron.subarray(stopCarry));
    t.set(input.t.subarray(stopInput, input.length), fromCarry);
    neuron.set(input.neuron.subarray(stopInput, input.length), fromCarry);
    this.carryT = t;
    this.carryNeuron = neuron;
  }
}

/**
 * Decay tables by time constant, shared by every layer (this one only reads them): 65,536 `Math.exp` calls per
 * build were a fixed cost of every pipeline run.
 */
const decayTables = new Map<number, DecayTable>();

function sharedDecayTable(tauUs: number): DecayTable {
  let table = decayTables.get(tauUs);
  if (table === undefined) decayTables.set(tauUs, (table = createDecayTable(tauUs)));
  return table;
}

/** What a ConvLifLayer runs, read from a network spec by `convLifSpec`. */
export interface ConvLifSpec {
  readonly sourceName: string;
  readonly targetName: string;
  readonly sourceShape: readonly [number, number, number];
  readonly kernel: readonly (readonly number[])[];
  /** The projection's weight: every kernel entry is multiplied by it (as connectConv2d does). */
  readonly scale: number;
  readonly delayUs: number;
  readonly lif: LifParams;
}

/**
 * The ConvLifLayer reading of a network spec, or null when the spec is anything else (then `buildNetwork` runs
 * it): exactly a shaped source and a delta LIF population of shape [W, H, 1], one conv2d projection between them
 * with merged channels, stride 1, an odd kernel, an integer delay in µs, and no learning.
 */
export function convLifSpec(spec: NetworkSpec): ConvLifSpec | null {
  const [source, target] = spec.populations ?? [];
  const projections = spec.projections ?? [];
  if (spec.populations?.length !== 2 || projections.length !== 1) return null;
  const p = projections[0];
  if (source.model !== 'source' || target.model !== 'lif' || (target.synapse ?? 'delta') !== 'delta') return null;
  if (p.from !== source.name || p.to !== target.name || source.name === target.name) return null;
  if (p.connect !== 'conv2d' || p.synapses !== undefined || p.plasticity !== undefined || p.mergeChannels !== true) return null;
  if ((p.stride ?? 1) !== 1 || p.delayMs !== undefined || !Number.isInteger(p.delayUs) || p.delayUs! < 0) return null;
  const shape = source.shape;
  const out = target.shape;
  if (!shape || !out || out[0] !== shape[0] || out[1] !== shape[1] || out[2] !== 1) return null;
  if (!shape.every((n) => Number.isInteger(n) && n >= 1)) return null;
  const kernel = p.kernel;
  if (!Array.isArray(kernel) || kernel.length % 2 !== 1 || !Array.isArray(kernel[0]) || kernel[0].length % 2 !== 1) return null;
  if (!kernel.every((row) => Array.isArray(row) && row.length === kernel[0].length && row.every((k) => typeof k === 'number' && Number.isFinite(k)))) return null;
  const scale = p.weight ?? 1;
  if (typeof scale !== 'number' || !Number.isFinite(scale)) return null;
  return {
    sourceName: source.name,
    targetName: target.name,
    sourceShape: [shape[0], shape[1], shape[2]],
    kernel,
    scale,
    delayUs: p.delayUs!,
    lif: readLifParams(target, 'populations[1]'),
  };
}
