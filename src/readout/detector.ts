import type { SpikeBatch } from '../events/spikeBatch.ts';
import { ActivityTrace } from './activityTrace.ts';
import { componentsToBoxes, mergeEdgeBoxes } from './boxes.ts';
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
  readonly tracker: Partial<TrackerOptions>;
}

export const DEFAULT_DETECTOR: DetectorOptions = {
  periodUs: 10_000,
  traceUs: 20_000,
  minActivity: 1,
  minCells: 2,
  mergeGap: 1.2,
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
  }

  /**
   * Feeds spikes that are complete up to `until` (µs) and returns the frames now due. `firstT` starts the
   * frame clock when no spike has arrived yet (the first event's time).
   */
  push(spikes: SpikeBatch, until: number = spikes.until, firstT?: number): DetectionFrame[] {
    const period = this.options.periodUs;
    if (Number.isNaN(this.nextFrameT)) {
      const start = spikes.length > 0 ? spikes.t[0] : firstT;
      if (start === undefined) return [];
      this.nextFrameT = (Math.floor(start / period) + 1) * period;
    }
    const frames: DetectionFrame[] = [];
    let i = 0;
    while (this.nextFrameT <= until) {
      let j = i;
      while (j < spikes.length && spikes.t[j] < this.nextFrameT) j++;
      this.trace.add(spikes.t, spikes.neuron, i, j);
      i = j;
      frames.push(this.frameAt(this.nextFrameT));
      this.nextFrameT += period;
    }
    this.trace.add(spikes.t, spikes.neuron, i, spikes.length);
    return frames;
  }

  private frameAt(t: number): DetectionFrame {
    const { geometry: g, options: o } = this;
    this.trace.snapshot(t, this.snapshot);
    const components = this.finder.find(this.snapshot, o.minActivity, o.minCells);
    const boxes = mergeEdgeBoxes(componentsToBoxes(components, g.pool, g.width, g.height), o.mergeGap);
    return { t, width: g.width, height: g.height, boxes: this.tracker.update(t, boxes) };
  }
}
