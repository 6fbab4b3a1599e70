import type { SpikeBatch } from '../events/spikeBatch.ts';
import { ActivityTrace } from './activityTrace.ts';
import { absorbContained, componentsToBoxes, mergeEdgeBoxes } from './boxes.ts';
import { ComponentFinder } from './components.ts';
import type { DetectionFrame } from './detectionFrame.ts';
import { Tracker, type TrackerOptions } from './tracker.ts';

/** How detection-layer spikes become tracked boxes. */
export interface DetectorOptions {
  /** One DetectionFrame per this much event time (µs). */
  readonly periodUs: number;
  /** Time constant of the per-cell spike trace that defines "recently active" (µs). */
  readonly traceUs: number;
  /** A cell is active when its trace is at least this (spikes). */
  readonly minActivity: number;
  /** Components with fewer active cells are ignored. */
  readonly minCells: number;
  /** Edge stripes closer than this × their length are joined into one object (see mergeEdgeBoxes). */
  readonly mergeGap: number;
  /** Input cells with a trace below this are not used to tighten boxes (see componentsToBoxes). */
  readonly minInput: number;
  /** ... and below this fraction of the busiest input cell of the component (see componentsToBoxes). */
  readonly minInputRelative: number;
  /**
   * Time constant of the input-cell trace used to tighten boxes (µs; default: the readout period). Short, so
   * that cells an edge left a while ago do not stretch the box behind a moving object.
   */
  readonly inputTraceUs: number | undefined;
  readonly tracker: Partial<TrackerOptions>;
}

export const DEFAULT_DETECTOR: DetectorOptions = {
  periodUs: 10_000,
  traceUs: 20_000,
  minActivity: 1,
  minCells: 2,
  mergeGap: 1.2,
  minInput: 1,
  minInputRelative: 0.25,
  inputTraceUs: undefined,
  tracker: {},
};

/** The cell grid of the detection layer and the sensor it covers. */
export interface DetectorGeometry {
  readonly cellsX: number;
  readonly cellsY: number;
  readonly pool: number;
  readonly width: number;
  readonly height: number;
}

/**
 * Turns the spikes of a retinotopic detection layer (one neuron per cell, index y * cellsX + x) into a
 * DetectionFrame at every multiple of `periodUs`: the frame at time T sees every spike with t < T.
 */
export class Detector {
  private readonly options: DetectorOptions;
  private readonly trace: ActivityTrace;
  private readonly inputTrace: ActivityTrace;
  private readonly inputSnapshot: Float32Array;
  private readonly finder: ComponentFinder;
  private readonly tracker: Tracker;
  private readonly snapshot: Float32Array;
  private nextFrameT = NaN;

  constructor(
    readonly geometry: DetectorGeometry,
    options: Partial<DetectorOptions> = {},
  ) {
    this.options = { ...DEFAULT_DETECTOR, ...options };
    const cells = geometry.cellsX * geometry.cellsY;
    this.trace = new ActivityTrace(cells, this.options.traceUs);
    this.finder = new ComponentFinder(geometry.cellsX, geometry.cellsY);
    this.tracker = new Tracker(this.options.tracker);
    this.snapshot = new Float32Array(cells);
    this.inputTrace = new ActivityTrace(cells, this.options.inputTraceUs ?? this.options.periodUs);
    this.inputSnapshot = new Float32Array(cells);
  }

  /**
   * Feeds spikes that are complete up to `until` (µs) and returns the frames now due. `firstT` starts the
   * frame clock when no spike has arrived yet (the first event's time). `input` is the input cells' spikes
   * of the same time span (any number of channels: neuron indices are folded onto the cell grid), used to
   * tighten boxes to where the events were.
   */
  push(spikes: SpikeBatch, until: number = spikes.until, firstT?: number, input?: SpikeBatch): DetectionFrame[] {
    const period = this.options.periodUs;
    if (Number.isNaN(this.nextFrameT)) {
      const start = spikes.length > 0 ? spikes.t[0] : firstT;
      if (start === undefined) return [];
      this.nextFrameT = (Math.floor(start / period) + 1) * period;
    }
    const frames: DetectionFrame[] = [];
    const inputCells = input ? foldOntoCells(input.neuron, this.geometry.cellsX * this.geometry.cellsY) : undefined;
    let i = 0;
    let k = 0;
    while (this.nextFrameT <= until) {
      let j = i;
      while (j < spikes.length && spikes.t[j] < this.nextFrameT) j++;
      this.trace.add(spikes.t, spikes.neuron, i, j);
      i = j;
      if (input && inputCells) {
        let m = k;
        while (m < input.length && input.t[m] < this.nextFrameT) m++;
        this.inputTrace.add(input.t, inputCells, k, m);
        k = m;
      }
      frames.push(this.frameAt(this.nextFrameT, input !== undefined));
      this.nextFrameT += period;
    }
    this.trace.add(spikes.t, spikes.neuron, i, spikes.length);
    if (input && inputCells) this.inputTrace.add(input.t, inputCells, k, input.length);
    return frames;
  }

  private frameAt(t: number, tighten: boolean): DetectionFrame {
    const { geometry: g, options: o } = this;
    this.trace.snapshot(t, this.snapshot);
    const components = this.finder.find(this.snapshot, o.minActivity, o.minCells);
    const input = tighten
      ? { activity: this.inputTrace.snapshot(t, this.inputSnapshot), cellsX: g.cellsX, minInput: o.minInput, relative: o.minInputRelative }
      : undefined;
    const boxes = absorbContained(mergeEdgeBoxes(componentsToBoxes(components, g.pool, g.width, g.height, input), o.mergeGap));
    return { t, width: g.width, height: g.height, boxes: this.tracker.update(t, boxes) };
  }
}

/** Neuron indices of a multi-channel cell grid folded onto its first channel (index mod cells). */
function foldOntoCells(neuron: Uint32Array, cells: number): Uint32Array {
  const out = new Uint32Array(neuron.length);
  for (let i = 0; i < neuron.length; i++) out[i] = neuron[i] % cells;
  return out;
}
