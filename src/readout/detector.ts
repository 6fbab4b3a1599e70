import type { EventBatch } from '../events/eventBatch.ts';
import type { SpikeBatch } from '../events/spikeBatch.ts';
import { ActivityTrace } from './activityTrace.ts';
import { absorbContained, componentsToBoxes, mergeEdgeBoxes, type PixelBox } from './boxes.ts';
import { ComponentFinder, type Components } from './components.ts';
import type { DetectionFrame } from './detectionFrame.ts';
import { PixelEdges, type PixelEdgeOptions } from './pixelEdges.ts';
import { RecentEvents } from './recentEvents.ts';
import { splitSharedComponents } from './splitShared.ts';
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
  /**
   * Share the cells of a blob among the confirmed tracks whose predicted boxes fall on it (objects that touch
   * or cross), one box per track, instead of reporting the blob as one object (see splitShared.ts).
   */
  readonly splitShared: boolean;
  /** A blob is split only when its box is at least this × the largest predicted box reaching into it. */
  readonly splitGrowth: number;
  /**
   * Sub-cell box edges from the raw events, used when the events are given (`Detector.events`); the margin
   * defaults to one cell (see pixelEdges.ts).
   */
  readonly pixelEdges: Omit<PixelEdgeOptions, 'margin'> & { readonly margin?: number; readonly quietUs: number };
  readonly tracker: Partial<TrackerOptions>;
}

export const DEFAULT_DETECTOR: DetectorOptions = {
  periodUs: 10_000,
  traceUs: 20_000,
  minActivity: 1,
  minCells: 2,
  mergeGap: 4,
  minInput: 1,
  minInputRelative: 0.25,
  inputTraceUs: undefined,
  splitShared: true,
  splitGrowth: 1.3,
  pixelEdges: { windowUs: 10_000, quantile: 0.04, minEvents: 8, quietUs: 50_000, onsetOnly: true, motionCompensate: true },
  tracker: {},
};

/** The cell grid of the detection layer and the sensor it covers. */
export interface DetectorGeometry {
  /** Channels of the input cells (2 = OFF, ON): with two, edge pairing also checks polarity. Default 1. */
  readonly channels?: number;
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
  /** Input activity per cell, all channels summed. */
  private readonly inputCells: Float32Array;
  private readonly channels: number;
  private readonly supported: Float32Array;
  private readonly finder: ComponentFinder;
  private readonly tracker: Tracker;
  private readonly snapshot: Float32Array;
  private nextFrameT = NaN;
  /** The raw events of the last few ms and the pixel-edge kernel: only once events are given. */
  private recent: RecentEvents | undefined;
  private edges: PixelEdges | undefined;
  private readonly edgeOptions: PixelEdgeOptions;

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
    this.channels = geometry.channels ?? 1;
    this.inputTrace = new ActivityTrace(cells * this.channels, this.options.inputTraceUs ?? this.options.periodUs);
    this.inputSnapshot = new Float32Array(cells * this.channels);
    this.inputCells = new Float32Array(cells);
    this.supported = new Float32Array(cells);
    this.edgeOptions = { margin: geometry.pool, ...this.options.pixelEdges };
  }

  /**
   * Raw events (sensor pixels) for sub-cell box edges, given before or with the spikes they caused (`push`):
   * a frame at time T uses the events with t < T. Without them boxes keep cell-level edges.
   */
  events(batch: EventBatch): void {
    if (!this.recent) {
      this.recent = new RecentEvents(this.geometry.width, this.geometry.height, this.options.pixelEdges.quietUs);
      this.edges = new PixelEdges(this.geometry.width, this.geometry.height);
    }
    this.recent.add(batch);
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
    const size = this.geometry.cellsX * this.geometry.cellsY * this.channels;
    const inputCells = input ? foldOntoCells(input.neuron, size) : undefined;
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

  private frameAt(t: number, withInput: boolean): DetectionFrame {
    const { geometry: g, options: o } = this;
    const detection = this.trace.snapshot(t, this.snapshot);
    if (!withInput) {
      const components = this.finder.find(detection, o.minActivity, o.minCells);
      const boxes = this.boxesOf(t, components, detection, o.minActivity, componentsToBoxes(components, g.pool, g.width, g.height));
      return { t, width: g.width, height: g.height, boxes: this.tracker.update(t, boxes) };
    }
    const snap = this.inputTrace.snapshot(t, this.inputSnapshot);
    const plane = this.inputCells.length;
    const cells = this.inputCells;
    cells.set(snap.subarray(0, plane));
    for (let c = 1; c < this.channels; c++) for (let i = 0; i < plane; i++) cells[i] += snap[c * plane + i];
    const on = this.channels === 2 ? snap.subarray(plane) : undefined;
    // Segment the input cells that the detection layer vouches for (a detection neuron active within one
    // cell): the layer rejects sparse noise, the input cells keep the objects' real extent. Segmenting the
    // detection layer's own map would widen every blob by its 3×3 reach and fuse objects a few cells apart.
    const supported = supportedActivity(cells, detection, g.cellsX, g.cellsY, o.minActivity, this.supported);
    const minSupported = Math.max(o.minInput, Number.MIN_VALUE);
    const components = this.finder.find(supported, minSupported, o.minCells);
    const input = { activity: cells, cellsX: g.cellsX, minInput: o.minInput, relative: o.minInputRelative, on };
    const boxes = this.boxesOf(t, components, supported, minSupported, componentsToBoxes(components, g.pool, g.width, g.height, input));
    return { t, width: g.width, height: g.height, boxes: this.tracker.update(t, boxes) };
  }

  /**
   * The boxes to match at time t: blobs that several tracks share are split among them (tagged boxes), the
   * other components' boxes (one per component, same order) go through edge pairing and containment.
   */
  private boxesOf(t: number, components: Components, activity: Float32Array, minActivity: number, own: PixelBox[]): PixelBox[] {
    const o = this.options;
    if (!o.splitShared) return this.pixelRefined(t, absorbContained(mergeEdgeBoxes(own, o.mergeGap)));
    const g = this.geometry;
    const shared = splitSharedComponents(components, activity, minActivity, g.cellsX, g.pool, this.tracker.predictions(t), 2, o.splitGrowth);
    const rest = absorbContained(mergeEdgeBoxes(own.filter((_, c) => shared.split[c] === 0), o.mergeGap));
    return this.pixelRefined(t, rest).concat(shared.boxes);
  }

  /** Boxes with sub-cell edges from the raw events, when they are given; then forgets events no frame needs. */
  private pixelRefined(t: number, boxes: PixelBox[]): PixelBox[] {
    const { recent, edges, edgeOptions } = this;
    if (!recent || !edges) return boxes;
    const out = edges.refine(boxes, recent, t, edgeOptions, edgeOptions.motionCompensate ? this.tracker.predictions(t) : []);
    recent.dropBefore(t + this.options.periodUs - edgeOptions.windowUs);
    return out;
  }
}

/** Input activity where a detection neuron within one cell (3×3) is active, else 0. */
function supportedActivity(
  input: Float32Array, detection: Float32Array, w: number, h: number, minDetection: number, out: Float32Array,
): Float32Array {
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      let value = 0;
      if (input[i] > 0) {
        for (let dy = -1; dy <= 1 && value === 0; dy++) {
          const yy = y + dy;
          if (yy < 0 || yy >= h) continue;
          for (let dx = -1; dx <= 1; dx++) {
            const xx = x + dx;
            if (xx >= 0 && xx < w && detection[yy * w + xx] >= minDetection) {
              value = input[i];
              break;
            }
          }
        }
      }
      out[i] = value;
    }
  }
  return out;
}

/** Neuron indices folded into 0..cells-1 (index mod cells): a no-op for indices of the grid itself. */
function foldOntoCells(neuron: Uint32Array, cells: number): Uint32Array {
  const out = new Uint32Array(neuron.length);
  for (let i = 0; i < neuron.length; i++) out[i] = neuron[i] % cells;
  return out;
}
