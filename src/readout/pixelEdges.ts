import type { PixelBox } from './boxes.ts';
import type { RecentEvents } from './recentEvents.ts';

/** How boxes found on the cell grid are refined to pixel edges from the raw events (see PixelEdges). */
export interface PixelEdgeOptions {
  /** Events of this last stretch of time (µs) locate the edges: short, so a moving object's sweep stays small. */
  readonly windowUs: number;
  /** The search reaches this many pixels beyond the cell-level box (an object may end inside its outer cells). */
  readonly margin: number;
  /** Each edge is put at this quantile of the events' x (and y) from its side: stray noise events do not stretch it. */
  readonly quantile: number;
  /** Boxes with fewer events in reach keep their cell-level edges. */
  readonly minEvents: number;
}

/**
 * Sub-cell box edges. A cell-level box is a multiple of the pooling factor wide, so for a thin object (an
 * 8 px bar on 4 px cells, whose box is 12–16 px) it cannot reach a good IoU however well it is tracked. Here
 * the events of the last `windowUs` inside the box and `margin` pixels around it are counted per pixel column
 * and row, and each edge moves to the `quantile` of that distribution (robust percentiles, 2nd/98th by
 * default). Work per frame: the window's events (counted into a pixel image and cleared again) plus the area
 * of the boxes; no object per event.
 */
export class PixelEdges {
  private readonly counts: Uint32Array;
  private readonly columns: Float64Array;
  private readonly rows: Float64Array;

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.counts = new Uint32Array(width * height);
    this.columns = new Float64Array(width);
    this.rows = new Float64Array(height);
  }

  /** The boxes at time t with their edges moved to where the events are; boxes tagged with a track are kept. */
  refine(boxes: readonly PixelBox[], events: RecentEvents, t: number, options: PixelEdgeOptions): PixelBox[] {
    const [from, to] = events.range(t - options.windowUs, t);
    const { counts, width: w } = this;
    const { x, y } = events;
    for (let i = from; i < to; i++) counts[y[i] * w + x[i]]++;
    const out = boxes.map((b) => (b.track === undefined ? this.refineOne(b, options) : b));
    for (let i = from; i < to; i++) counts[y[i] * w + x[i]] = 0;
    return out;
  }

  private refineOne(b: PixelBox, o: PixelEdgeOptions): PixelBox {
    const { counts, columns, rows, width: w, height: h } = this;
    const x0 = Math.max(0, Math.floor(b.x0) - o.margin);
    const y0 = Math.max(0, Math.floor(b.y0) - o.margin);
    const x1 = Math.min(w, Math.ceil(b.x1) + o.margin);
    const y1 = Math.min(h, Math.ceil(b.y1) + o.margin);
    if (x1 <= x0 || y1 <= y0) return b;
    columns.fill(0, x0, x1);
    let total = 0;
    for (let yy = y0; yy < y1; yy++) {
      let row = 0;
      for (let xx = x0, i = yy * w + x0; xx < x1; xx++, i++) {
        const c = counts[i];
        row += c;
        columns[xx] += c;
      }
      rows[yy] = row;
      total += row;
    }
    if (total < o.minEvents) return b;
    const [nx0, nx1] = quantileEdges(columns, x0, x1, total, o.quantile);
    const [ny0, ny1] = quantileEdges(rows, y0, y1, total, o.quantile);
    return { ...b, x0: nx0, x1: nx1, y0: ny0, y1: ny1 };
  }
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
