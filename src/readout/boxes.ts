import type { Components } from './components.ts';

/** A candidate box in sensor pixels: [x0, x1) × [y0, y1), with the spike evidence behind it. */
export interface PixelBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  mass: number;
}

/** Cell-grid components → pixel boxes (a cell covers `pool` × `pool` pixels), clipped to the sensor. */
export function componentsToBoxes(components: Components, pool: number, width: number, height: number): PixelBox[] {
  const boxes: PixelBox[] = [];
  for (let i = 0; i < components.count; i++) {
    boxes.push({
      x0: components.x0[i] * pool,
      y0: components.y0[i] * pool,
      x1: Math.min(width, (components.x1[i] + 1) * pool),
      y1: Math.min(height, (components.y1[i] + 1) * pool),
      mass: components.mass[i],
    });
  }
  return boxes;
}

/**
 * Joins boxes that are the separate edges of one object. A solid object moving across a DVS fires only at its
 * leading and trailing edges: two parallel stripes that overlap along the edge direction and are separated by
 * the object's size across it. Two boxes are joined when they overlap by at least `minOverlap` of the smaller
 * one's extent along one axis and the gap along the other axis is at most `maxGapRatio` times the longer of
 * their extents along the first axis (a compact object is about as wide as it is tall).
 */
export function mergeEdgeBoxes(boxes: PixelBox[], maxGapRatio: number, minOverlap = 0.5): PixelBox[] {
  const out = boxes.map((b) => ({ ...b }));
  let merged = true;
  while (merged) {
    merged = false;
    for (let i = 0; i < out.length && !merged; i++) {
      for (let j = i + 1; j < out.length; j++) {
        if (!belongTogether(out[i], out[j], maxGapRatio, minOverlap)) continue;
        const a = out[i];
        const b = out[j];
        out[i] = {
          x0: Math.min(a.x0, b.x0),
          y0: Math.min(a.y0, b.y0),
          x1: Math.max(a.x1, b.x1),
          y1: Math.max(a.y1, b.y1),
          mass: a.mass + b.mass,
        };
        out.splice(j, 1);
        merged = true;
        break;
      }
    }
  }
  return out;
}

function belongTogether(a: PixelBox, b: PixelBox, maxGapRatio: number, minOverlap: number): boolean {
  return (
    joinsAlong(a.y0, a.y1, b.y0, b.y1, a.x0, a.x1, b.x0, b.x1, maxGapRatio, minOverlap) ||
    joinsAlong(a.x0, a.x1, b.x0, b.x1, a.y0, a.y1, b.y0, b.y1, maxGapRatio, minOverlap)
  );
}

/** Overlap on the first axis (u), small gap on the second axis (v). */
function joinsAlong(
  au0: number, au1: number, bu0: number, bu1: number,
  av0: number, av1: number, bv0: number, bv1: number,
  maxGapRatio: number, minOverlap: number,
): boolean {
  const overlap = Math.min(au1, bu1) - Math.max(au0, bu0);
  const shorter = Math.min(au1 - au0, bu1 - bu0);
  if (overlap < minOverlap * shorter) return false;
  const gap = Math.max(av0, bv0) - Math.min(av1, bv1);
  return gap <= maxGapRatio * Math.max(au1 - au0, bu1 - bu0);
}

/** Intersection over union of two boxes given as x, y (top-left), w, h. */
export function iou(
  ax: number, ay: number, aw: number, ah: number,
  bx: number, by: number, bw: number, bh: number,
): number {
  const ix = Math.min(ax + aw, bx + bw) - Math.max(ax, bx);
  const iy = Math.min(ay + ah, by + bh) - Math.max(ay, by);
  if (ix <= 0 || iy <= 0) return 0;
  const inter = ix * iy;
  return inter / (aw * ah + bw * bh - inter);
}
