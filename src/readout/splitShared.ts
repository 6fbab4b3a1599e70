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
  /** Its velocity (px/s), when known. */
  readonly vx?: number;
  readonly vy?: number;
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
 * box. When the predicted boxes of two or more tracks reach into one component (each holding at least
 * `minInside` of its cells) and the blob is clearly bigger than any of them (`minGrowth` × the largest
 * predicted box's area), its active cells are shared out: each cell goes to the track whose predicted box
 * it lies deepest in (distance from the predicted centre in units of the half-size, so a small object next to
 * a big one keeps its own cells), in the spirit of jAER's RectangularClusterTracker, whose clusters stay
 * separate entities as they pass each other. A track taking part also claims the other components that lie
 * mostly inside its predicted box (its other edge, when a moving object fires as two stripes), and gets the
 * bounds of all its cells as one box tagged with the track. A track that receives no cell (hidden behind
 * the other object) gets an empty box (mass 0) and coasts on its prediction.
 *
 * Work is proportional to the cells inside the predicted boxes and the shared components' bounds.
 */
export function splitSharedComponents(
  components: Components,
  activity: ArrayLike<number>,
  minActivity: number,
  cellsX: number,
  pool: number,
  predictions: readonly TrackPrediction[],
  minInside = 2,
  minGrowth = 1.3,
): SharedSplit {
  const count = components.count;
  const split = new Uint8Array(count);
  const boxes: PixelBox[] = [];
  const n = predictions.length;
  if (n < 2 || count === 0) return { boxes, split };
  const labels = components.labels;
  const cellsY = labels.length / cellsX;
  // inside[k * count + c]: cells of component c inside track k's predicted box.
  const inside = new Int32Array(n * count);
  predictions.forEach((p, k) => {
    const [x0, y0, x1, y1] = cellRect(p, pool, cellsX, cellsY, 0);
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const c = labels[y * cellsX + x];
        if (c >= 0 && activity[y * cellsX + x] >= minActivity) inside[k * count + c]++;
      }
    }
  });
  const touches = (k: number, c: number) => inside[k * count + c] >= Math.min(minInside, components.cells[c]);
  const involved = new Uint8Array(n);
  for (let c = 0; c < count; c++) {
    let touching = 0;
    for (let k = 0; k < n; k++) if (touches(k, c)) touching++;
    if (touching < 2) continue;
    // A blob no bigger than one of the tracks' boxes is one object that other tracks merely reach into.
    let largest = 0;
    for (let k = 0; k < n; k++) if (touches(k, c)) largest = Math.max(largest, predictions[k].w * predictions[k].h);
    const area = (components.x1[c] - components.x0[c] + 1) * (components.y1[c] - components.y0[c] + 1) * pool * pool;
    if (area <= minGrowth * largest) continue;
    split[c] = 1;
    for (let k = 0; k < n; k++) if (touches(k, c)) involved[k] = 1;
  }
  if (!split.includes(1)) return { boxes, split };
  // Components that are not shared but lie mostly inside one involved track's box belong to that track.
  const claimedBy = new Int32Array(count).fill(-1);
  for (let c = 0; c < count; c++) {
    if (split[c]) continue;
    for (let k = 0; k < n; k++) {
      if (involved[k] && 2 * inside[k * count + c] >= components.cells[c]) {
        claimedBy[c] = k;
        split[c] = 1;
        break;
      }
    }
  }
  const bx0 = new Int32Array(n).fill(2 ** 30);
  const by0 = new Int32Array(n).fill(2 ** 30);
  const bx1 = new Int32Array(n).fill(-1);
  const by1 = new Int32Array(n).fill(-1);
  const mass = new Float64Array(n);
  // Track centres and half-sizes in cell units (cell i spans pixels [i·pool, (i+1)·pool), centre i + 0.5).
  const cx = predictions.map((p) => (p.x + p.w / 2) / pool);
  const cy = predictions.map((p) => (p.y + p.h / 2) / pool);
  const hw = predictions.map((p) => Math.max(0.5, p.w / 2 / pool));
  const hh = predictions.map((p) => Math.max(0.5, p.h / 2 / pool));
  for (let c = 0; c < count; c++) {
    if (!split[c]) continue;
    for (let y = components.y0[c]; y <= components.y1[c]; y++) {
      for (let x = components.x0[c]; x <= components.x1[c]; x++) {
        const i = y * cellsX + x;
        if (labels[i] !== c || activity[i] < minActivity) continue;
        let best = claimedBy[c];
        if (best < 0) {
          let bestDepth = Infinity;
          for (let k = 0; k < n; k++) {
            if (!touches(k, c)) continue;
            const depth = Math.max(Math.abs(x + 0.5 - cx[k]) / hw[k], Math.abs(y + 0.5 - cy[k]) / hh[k]);
            if (depth < bestDepth) {
              bestDepth = depth;
              best = k;
            }
          }
        }
        if (x < bx0[best]) bx0[best] = x;
        if (x > bx1[best]) bx1[best] = x;
        if (y < by0[best]) by0[best] = y;
        if (y > by1[best]) by1[best] = y;
        mass[best] += activity[i];
      }
    }
  }
  for (let k = 0; k < n; k++) {
    if (!involved[k]) continue;
    const p = predictions[k];
    boxes.push(
      bx1[k] < 0
        ? { x0: p.x, y0: p.y, x1: p.x + p.w, y1: p.y + p.h, mass: 0, track: p.key }
        : { x0: bx0[k] * pool, y0: by0[k] * pool, x1: (bx1[k] + 1) * pool, y1: (by1[k] + 1) * pool, mass: mass[k], track: p.key },
    );
  }
  return { boxes, split };
}

/** Inclusive cell bounds of a pixel box grown by `margin` cells, clipped to the grid. */
function cellRect(p: TrackPrediction, pool: number, cellsX: number, cellsY: number, margin: number): [number, number, number, number] {
  return [
    Math.max(0, Math.floor(p.x / pool) - margin),
    Math.max(0, Math.floor(p.y / pool) - margin),
    Math.min(cellsX - 1, Math.ceil((p.x + p.w) / pool) - 1 + margin),
    Math.min(cellsY - 1, Math.ceil((p.y + p.h) / pool) - 1 + margin),
  ];
}
