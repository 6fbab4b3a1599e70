import type { PixelBox } from './boxes.ts';
import type { RecentEvents } from './recentEvents.ts';
import type { TrackPrediction } from './splitShared.ts';

/** How boxes found on the cell grid are refined to pixel edges from the raw events (see PixelEdges). */
export interface PixelEdgeOptions {
  /** Events of this last stretch of time (µs) locate the edges. */
  readonly windowUs: number;
  /** The search reaches this many pixels beyond the cell-level box (an object may end inside its outer cells). */
  readonly margin: number;
  /** Each edge is put at this quantile of the events' x (and y) from its side: stray noise events do not stretch it. */
  readonly quantile: number;
  /** Boxes with fewer events in reach keep their cell-level edges. */
  readonly minEvents: number;
  /** Count only onset events (a pixel's first after a quiet spell, see RecentEvents), not a slow pixel's repeats. */
  readonly onsetOnly: boolean;
  /** Move each pixel's events along the velocity of the track on the box to where they would be now. */
  readonly motionCompensate: boolean;
}

/**
 * Sub-cell box edges. A cell-level box is a multiple of the pooling factor wide, so for a thin object (an
 * 8 px bar on 4 px cells, whose box is 12–16 px) it cannot reach a good IoU however well it is tracked. Here
 * the events of the last `windowUs` inside the box and `margin` pixels around it are counted per pixel column
 * and row, and each edge moves to the `quantile` of that distribution (robust percentiles, 4th/96th by
 * default).
 *
 * A moving object's trailing edge would lag: the window holds the trailing edge's events from all along its
 * sweep, and a slow photoreceptor keeps the pixels behind it firing. So only onset events count, and with a
 * track's velocity each pixel's events are moved forward by velocity × their mean age (motion compensation,
 * per pixel rather than per event). Work per frame: the window's events (counted into pixel images and
 * cleared again) plus the area of the boxes; no object per event.
 */
export class PixelEdges {
  private readonly counts: Float32Array;
  private readonly ages: Float32Array;
  private readonly columns: Float64Array;
  private readonly rows: Float64Array;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.counts = new Float32Array(width * height);
    this.ages = new Float32Array(width * height);
    this.columns = new Float64Array(width);
    this.rows = new Float64Array(height);
  }

  /**
   * The boxes at time t with their edges moved to where the events are; boxes tagged with a track are kept.
   * `tracks` lends its velocities to the boxes it overlaps most (for motion compensation).
   */
  refine(boxes: readonly PixelBox[], events: RecentEvents, t: number, options: PixelEdgeOptions, tracks: readonly TrackPrediction[] = []): PixelBox[] {
    const [from, to] = events.range(t - options.windowUs, t);
    const { counts, ages, width: w } = this;
    const { x, y, onset } = events;
    const times = events.t;
    const onsetOnly = options.onsetOnly;
    for (let i = from; i < to; i++) {
      if (onsetOnly && onset[i] === 0) continue;
      const pixel = y[i] * w + x[i];
      counts[pixel]++;
      ages[pixel] += t - times[i];
    }
    const out = boxes.map((b) => {
      if (b.track !== undefined) return b;
      const v = options.motionCompensate ? velocityOn(b, tracks) : undefined;
      return this.refineOne(b, options, v);
    });
    for (let i = from; i < to; i++) {
      const pixel = y[i] * w + x[i];
      counts[pixel] = 0;
      ages[pixel] = 0;
    }
    return out;
  }

  private refineOne(b: PixelBox, o: PixelEdgeOptions, v: [number, number] | undefined): PixelBox {
    const { counts, ages, columns, rows, width: w, height: h } = this;
    const x0 = Math.max(0, Math.floor(b.x0) - o.margin);
    const y0 = Math.max(0, Math.floor(b.y0) - o.margin);
    const x1 = Math.min(w, Math.ceil(b.x1) + o.margin);
    const y1 = Math.min(h, Math.ceil(b.y1) + o.margin);
    if (x1 <= x0 || y1 <= y0) return b;
    columns.fill(0, x0, x1);
    rows.fill(0, y0, y1);
    let total = 0;
    // Velocities in px/µs; events moved out of the region are clamped to its border.
    const vx = v ? v[0] / 1e6 : 0;
    const vy = v ? v[1] / 1e6 : 0;
    for (let yy = y0; yy < y1; yy++) {
      for (let xx = x0, i = yy * w + x0; xx < x1; xx++, i++) {
        const c = counts[i];
        if (c === 0) continue;
        total += c;
        if (v) {
          const age = ages[i] / c;
          columns[clamp(Math.floor(xx + 0.5 + vx * age), x0, x1 - 1)] += c;
          rows[clamp(Math.floor(yy + 0.5 + vy * age), y0, y1 - 1)] += c;
        } else {
          columns[xx] += c;
          rows[yy] += c;
        }
      }
    }
    if (total < o.minEvents) return b;
    const [nx0, nx1] = quantileEdges(columns, x0, x1, total, o.quantile);
    const [ny0, ny1] = quantileEdges(rows, y0, y1, total, o.quantile);
    return { ...b, x0: nx0, x1: nx1, y0: ny0, y1: ny1 };
  }
}

/** The velocity of the track whose predicted box overlaps the box most, if any overlaps it. */
function velocityOn(b: PixelBox, tracks: readonly TrackPrediction[]): [number, number] | undefined {
  let best = 0;
  let v: [number, number] | undefined;
  for (const p of tracks) {
    const ix = Math.min(b.x1, p.x + p.w) - Math.max(b.x0, p.x);
    const iy = Math.min(b.y1, p.y + p.h) - Math.max(b.y0, p.y);
    if (ix <= 0 || iy <= 0 || ix * iy <= best) continue;
    best = ix * iy;
    v = [p.vx ?? 0, p.vy ?? 0];
  }
  return v;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/**
 * [lo, hi) such that at most `q` of the total lies before lo and at most `q` after hi: the first index where
 * the running sum exceeds q·total, and one past the last such index from the other end.
 */
function quantileEdges(hist: Float64Array, from: number, to: number, total: number, q: number): [number, number] {
  const cut = q * total;
  let lo = from;
  for (let sum = hist[lo]; sum <= cut && lo < to - 1; ) sum += hist[++lo];
  let hi = to - 1;
  for (let sum = hist[hi]; sum <= cut && hi > lo; ) sum += hist[--hi];
  return [lo, hi + 1];
}
