import type { Components } from './components.ts';

/** A candidate box in sensor pixels: [x0, x1) × [y0, y1), with the spike evidence behind it. */
export interface PixelBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  mass: number;
  /** (ON − OFF) / (ON + OFF) of the input events inside the box, when polarity is known. */
  polarity?: number;
  /** Set when the box is one track's share of a blob several objects fire together (see splitShared.ts). */
  track?: number;
}

/**
 * Cell-grid components → pixel boxes (a cell covers `pool` × `pool` pixels), clipped to the sensor.
 *
 * With `input` (recent input activity per cell, same grid), each box is tightened to the input cells active
 * inside it: detection neurons see a 3×3 neighbourhood, so their components are one cell wider on every side
 * than the objects that drove them. A cell counts when its activity is at least `minInput` and at least
 * `relative` × the busiest cell of the box: the edges of a moving object fire densely, while the faint tail a
 * slow photoreceptor leaves behind it, and scattered noise, do not.
 */
export function componentsToBoxes(
  components: Components,
  pool: number,
  width: number,
  height: number,
  input?: { activity: ArrayLike<number>; cellsX: number; minInput: number; relative: number; on?: ArrayLike<number> },
): PixelBox[] {
  const boxes: PixelBox[] = [];
  for (let i = 0; i < components.count; i++) {
    let cx0 = components.x0[i];
    let cy0 = components.y0[i];
    let cx1 = components.x1[i];
    let cy1 = components.y1[i];
    if (input) {
      const peak = peakIn(input.activity, input.cellsX, cx0, cy0, cx1, cy1);
      const min = Math.max(input.minInput, input.relative * peak);
      const tight = activeBounds(input.activity, input.cellsX, cx0, cy0, cx1, cy1, min);
      if (tight) [cx0, cy0, cx1, cy1] = tight;
    }
    const box: PixelBox = {
      x0: cx0 * pool,
      y0: cy0 * pool,
      x1: Math.min(width, (cx1 + 1) * pool),
      y1: Math.min(height, (cy1 + 1) * pool),
      mass: components.mass[i],
    };
    if (input?.on) box.polarity = polarityIn(input.activity, input.on, input.cellsX, cx0, cy0, cx1, cy1);
    boxes.push(box);
  }
  return boxes;
}

/** (ON − OFF) / all of the input activity in a rectangle of cells (`on` is the ON part of `all`). */
function polarityIn(
  all: ArrayLike<number>, on: ArrayLike<number>, cellsX: number, x0: number, y0: number, x1: number, y1: number,
): number {
  let sumAll = 0;
  let sumOn = 0;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      sumAll += all[y * cellsX + x];
      sumOn += on[y * cellsX + x];
    }
  }
  return sumAll > 0 ? (2 * sumOn - sumAll) / sumAll : 0;
}

function peakIn(activity: ArrayLike<number>, cellsX: number, x0: number, y0: number, x1: number, y1: number): number {
  let peak = 0;
  for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) peak = Math.max(peak, activity[y * cellsX + x]);
  return peak;
}

/** Inclusive bounds of the cells >= min inside a rectangle of cells, or undefined when none is. */
function activeBounds(
  activity: ArrayLike<number>, cellsX: number, x0: number, y0: number, x1: number, y1: number, min: number,
): [number, number, number, number] | undefined {
  let bx0 = Infinity;
  let by0 = Infinity;
  let bx1 = -1;
  let by1 = -1;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      if (activity[y * cellsX + x] < min) continue;
      if (x < bx0) bx0 = x;
      if (x > bx1) bx1 = x;
      if (y < by0) by0 = y;
      if (y > by1) by1 = y;
    }
  }
  return bx1 < 0 ? undefined : [bx0, by0, bx1, by1];
}

/**
 * Joins boxes that are the separate edges of one object. A solid object moving across a DVS fires only at its
 * leading and trailing edges: two parallel stripes of about the same length, aligned along the edge direction
 * and separated by the object's size across it. Two boxes are joined when they overlap by at least
 * `minOverlap` of the LONGER one's extent along one axis (same length, aligned) and the gap along the other
 * axis is at most `maxGapRatio` times that extent (a compact object is about as wide as it is tall).
 * Each box joins at most one partner, closest pairs first, so separate objects never chain into one box.
 * When the boxes know their polarity, the two edges must have opposite signs: an object brighter than the
 * background turns its leading edge ON and its trailing edge OFF (darker: the reverse), whereas facing edges
 * of two objects moving the same way have the same sign. Each must also be mostly of one sign: a stripe of
 * mixed polarity is a thin object with both its edges inside (two parallel bars are not one object).
 */
export function mergeEdgeBoxes(boxes: PixelBox[], maxGapRatio: number, minOverlap = 0.6): PixelBox[] {
  const pairs: { i: number; j: number; gap: number }[] = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const gap = edgeGap(boxes[i], boxes[j], maxGapRatio, minOverlap);
      if (gap !== undefined) pairs.push({ i, j, gap });
    }
  }
  pairs.sort((a, b) => a.gap - b.gap);
  const partner = new Int32Array(boxes.length).fill(-1);
  for (const { i, j } of pairs) {
    if (partner[i] >= 0 || partner[j] >= 0) continue;
    partner[i] = j;
    partner[j] = i;
  }
  const out: PixelBox[] = [];
  for (let i = 0; i < boxes.length; i++) {
    const j = partner[i];
    if (j >= 0 && j < i) continue;
    const a = boxes[i];
    if (j < 0) {
      out.push({ ...a });
      continue;
    }
    const b = boxes[j];
    out.push({
      x0: Math.min(a.x0, b.x0),
      y0: Math.min(a.y0, b.y0),
      x1: Math.max(a.x1, b.x1),
      y1: Math.max(a.y1, b.y1),
      mass: a.mass + b.mass,
    });
  }
  return out;
}

/** An edge stripe has at least 3 : 1 of its events of one sign ((ON − OFF) / all of at least this in size). */
const MIN_EDGE_POLARITY = 0.5;

/** Length / thickness from which a box counts as an edge stripe. */
export const MIN_ELONGATION = 1.5;

/**
 * Folds boxes that lie mostly (>= `minInside` of their area) inside a larger box into it: fragments of an
 * object's edges that did not connect to the rest.
 */
export function absorbContained(boxes: PixelBox[], minInside = 0.5): PixelBox[] {
  const order = boxes.map((b, i) => ({ b: { ...b }, i, area: (b.x1 - b.x0) * (b.y1 - b.y0) })).sort((a, b) => b.area - a.area);
  const kept: PixelBox[] = [];
  for (const { b, area } of order) {
    const host = kept.find((k) => {
      const ix = Math.min(k.x1, b.x1) - Math.max(k.x0, b.x0);
      const iy = Math.min(k.y1, b.y1) - Math.max(k.y0, b.y0);
      return ix > 0 && iy > 0 && ix * iy >= minInside * area;
    });
    if (host) host.mass += b.mass;
    else kept.push(b);
  }
  return kept;
}

/** The gap between two boxes if they look like two edges of one object (see mergeEdgeBoxes), else undefined. */
function edgeGap(a: PixelBox, b: PixelBox, maxGapRatio: number, minOverlap: number): number | undefined {
  if (a.polarity !== undefined && b.polarity !== undefined && a.polarity * b.polarity >= 0) return undefined;
  // A stripe whose events are of both signs holds both edges of its object already (a thin bar moving across
  // itself): it is a whole object, and pairing it with another such stripe would join two bars.
  if (a.polarity !== undefined && b.polarity !== undefined && Math.min(Math.abs(a.polarity), Math.abs(b.polarity)) < MIN_EDGE_POLARITY) return undefined;
  const alongY = gapAlong(a.y0, a.y1, b.y0, b.y1, a.x0, a.x1, b.x0, b.x1, maxGapRatio, minOverlap);
  const alongX = gapAlong(a.x0, a.x1, b.x0, b.x1, a.y0, a.y1, b.y0, b.y1, maxGapRatio, minOverlap);
  if (alongY === undefined) return alongX;
  return alongX === undefined ? alongY : Math.min(alongX, alongY);
}

/** Overlap on the first axis (u), small gap on the second axis (v). */
function gapAlong(
  au0: number, au1: number, bu0: number, bu1: number,
  av0: number, av1: number, bv0: number, bv1: number,
  maxGapRatio: number, minOverlap: number,
): number | undefined {
  // Both must be stripes along u: a box that is already compact is a whole object, not an edge.
  if (au1 - au0 < MIN_ELONGATION * (av1 - av0) || bu1 - bu0 < MIN_ELONGATION * (bv1 - bv0)) return undefined;
  const overlap = Math.min(au1, bu1) - Math.max(au0, bu0);
  const longer = Math.max(au1 - au0, bu1 - bu0);
  if (overlap < minOverlap * longer) return undefined;
  const gap = Math.max(av0, bv0) - Math.min(av1, bv1);
  return gap <= maxGapRatio * longer ? gap : undefined;
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
