import type { PixelBox } from './boxes.ts';
import type { Components } from './components.ts';

/** Where a confirmed track expects its object now (constant-velocity prediction), in sensor pixels. */
export interface TrackPrediction {
  /** The tracker's key for the track (see Tracker.predictions). */
  readonly key: number;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** The result of splitting: one box per track inside a shared component, and which components were split. */
export interface SharedSplit {
  /** Boxes tagged with the track they belong to (`track`). */
  readonly boxes: PixelBox[];
  /** Per component: 1 when it was split among tracks (its own box must not be used), else 0. */
  readonly split: Uint8Array;
}

/**
 * Objects that touch or cross fire one connected blob of events, which components alone would report as one
 * box. When the predicted boxes of two or more tracks fall on one component, its active cells are shared out:
 * each cell goes to the track whose predicted box it lies deepest in (distance from the predicted centre in
 * units of the half-size, so a small object next to a big one keeps its own cells), and each track gets the
 * bounds of its cells, in the spirit of jAER's RectangularClusterTracker, whose clusters stay separate
 * entities as they pass each other. A track that receives no cell (hidden behind the other object) gets an
 * empty box (mass 0) and coasts on its prediction.
 *
 * A track belongs to the component its predicted box overlaps most, if that overlap is at least
 * `minOverlap` of the predicted box. Work is proportional to the cells inside the shared components' bounds.
 */
export function splitSharedComponents(
  components: Components,
  activity: ArrayLike<number>,
  minActivity: number,
  cellsX: number,
  pool: number,
  predictions: readonly TrackPrediction[],
  minOverlap = 0.3,
): SharedSplit {
  const split = new Uint8Array(components.count);
  const boxes: PixelBox[] = [];
  if (predictions.length < 2 || components.count === 0) return { boxes, split };
  const owner = new Int32Array(predictions.length).fill(-1);
  const perComponent = new Int32Array(components.count);
  predictions.forEach((p, k) => {
    let best = minOverlap * p.w * p.h;
    for (let c = 0; c < components.count; c++) {
      const ix = Math.min(p.x + p.w, (components.x1[c] + 1) * pool) - Math.max(p.x, components.x0[c] * pool);
      const iy = Math.min(p.y + p.h, (components.y1[c] + 1) * pool) - Math.max(p.y, components.y0[c] * pool);
      if (ix > 0 && iy > 0 && ix * iy >= best) {
        best = ix * iy;
        owner[k] = c;
      }
    }
    if (owner[k] >= 0) perComponent[owner[k]]++;
  });
  for (let c = 0; c < components.count; c++) {
    if (perComponent[c] < 2) continue;
    split[c] = 1;
    const members: number[] = [];
    for (let k = 0; k < predictions.length; k++) if (owner[k] === c) members.push(k);
    boxes.push(...shareCells(components, c, activity, minActivity, cellsX, pool, members.map((k) => predictions[k])));
  }
  return { boxes, split };
}

/** The cells of component c shared out among the given tracks: one tagged box per track. */
function shareCells(
  components: Components,
  c: number,
  activity: ArrayLike<number>,
  minActivity: number,
  cellsX: number,
  pool: number,
  tracks: readonly TrackPrediction[],
): PixelBox[] {
  const n = tracks.length;
  const bx0 = new Int32Array(n).fill(2 ** 30);
  const by0 = new Int32Array(n).fill(2 ** 30);
  const bx1 = new Int32Array(n).fill(-1);
  const by1 = new Int32Array(n).fill(-1);
  const mass = new Float64Array(n);
  // Track centres and half-sizes in cell units (cell i spans pixels [i·pool, (i+1)·pool), centre i + 0.5).
  const cx = tracks.map((p) => (p.x + p.w / 2) / pool);
  const cy = tracks.map((p) => (p.y + p.h / 2) / pool);
  const hw = tracks.map((p) => Math.max(0.5, p.w / 2 / pool));
  const hh = tracks.map((p) => Math.max(0.5, p.h / 2 / pool));
  const labels = components.labels;
  for (let y = components.y0[c]; y <= components.y1[c]; y++) {
    for (let x = components.x0[c]; x <= components.x1[c]; x++) {
      const i = y * cellsX + x;
      if (labels[i] !== c || activity[i] < minActivity) continue;
      let best = 0;
      let bestDepth = Infinity;
      for (let k = 0; k < n; k++) {
        const depth = Math.max(Math.abs(x + 0.5 - cx[k]) / hw[k], Math.abs(y + 0.5 - cy[k]) / hh[k]);
        if (depth < bestDepth) {
          bestDepth = depth;
          best = k;
        }
      }
      if (x < bx0[best]) bx0[best] = x;
      if (x > bx1[best]) bx1[best] = x;
      if (y < by0[best]) by0[best] = y;
      if (y > by1[best]) by1[best] = y;
      mass[best] += activity[i];
    }
  }
  return tracks.map((p, k) =>
    bx1[k] < 0
      ? { x0: p.x, y0: p.y, x1: p.x + p.w, y1: p.y + p.h, mass: 0, track: p.key }
      : { x0: bx0[k] * pool, y0: by0[k] * pool, x1: (bx1[k] + 1) * pool, y1: (by1[k] + 1) * pool, mass: mass[k], track: p.key },
  );
}
