import { describe, expect, it } from 'vitest';
import { componentsToBoxes, iou, mergeEdgeBoxes } from '../../src/readout/boxes.ts';
import { ComponentFinder } from '../../src/readout/components.ts';

/** A grid from a picture: digits are activity, '.' is 0. */
function grid(rows: string[]): Float32Array {
  const out = new Float32Array(rows.length * rows[0].length);
  rows.forEach((row, y) => [...row].forEach((c, x) => (out[y * row.length + x] = c === '.' ? 0 : Number(c))));
  return out;
}

describe('ComponentFinder', () => {
  const picture = [
    '11....2',
    '.1....2',
    '..1....',
    '.......',
    '3.....1',
  ];
  it('joins diagonal neighbours (8-connectivity) and reports bounds, cell counts and mass', () => {
    const c = new ComponentFinder(7, 5).find(grid(picture), 1);
    expect(c.count).toBe(4);
    expect(Array.from(c.x0)).toEqual([0, 6, 0, 6]);
    expect(Array.from(c.y0)).toEqual([0, 0, 4, 4]);
    expect(Array.from(c.x1)).toEqual([2, 6, 0, 6]);
    expect(Array.from(c.y1)).toEqual([2, 1, 4, 4]);
    expect(Array.from(c.cells)).toEqual([4, 2, 1, 1]);
    expect(Array.from(c.mass)).toEqual([4, 4, 3, 1]);
  });
  it('applies the activity threshold and the minimum size', () => {
    const c = new ComponentFinder(7, 5).find(grid(picture), 2, 2);
    expect(c.count).toBe(1);
    expect([c.x0[0], c.y0[0], c.x1[0], c.y1[0]]).toEqual([6, 0, 6, 1]);
  });
  it('is reusable: a second call does not see the first one', () => {
    const finder = new ComponentFinder(7, 5);
    finder.find(grid(picture), 1);
    expect(finder.find(new Float32Array(35), 1).count).toBe(0);
  });
});

describe('boxes', () => {
  it('scales cells to pixels and clips to the sensor', () => {
    const c = new ComponentFinder(7, 5).find(grid(['.......', '.......', '.......', '.......', '.....11']), 1);
    expect(componentsToBoxes(c, 4, 26, 18)).toEqual([{ x0: 20, y0: 16, x1: 26, y1: 18, mass: 2 }]);
  });
  it('joins the leading and trailing edges of one object but not distant objects', () => {
    const left = { x0: 0, y0: 0, x1: 4, y1: 20, mass: 1 };
    const right = { x0: 16, y0: 0, x1: 20, y1: 20, mass: 1 };
    const far = { x0: 60, y0: 0, x1: 64, y1: 20, mass: 1 };
    expect(mergeEdgeBoxes([left, right, far], 1)).toEqual([{ x0: 0, y0: 0, x1: 20, y1: 20, mass: 2 }, far]);
    // Not aligned along the edge: a stripe offset by more than half its length stays apart.
    expect(mergeEdgeBoxes([left, { ...right, y0: 15, y1: 35 }], 1)).toHaveLength(2);
  });
  it('joins edges of opposite sign only when each is mostly one sign (mixed stripes are whole thin bars)', () => {
    const on = { x0: 0, y0: 0, x1: 4, y1: 20, mass: 1, polarity: 0.9 };
    const off = { x0: 16, y0: 0, x1: 20, y1: 20, mass: 1, polarity: -0.8 };
    expect(mergeEdgeBoxes([on, off], 1)).toEqual([{ x0: 0, y0: 0, x1: 20, y1: 20, mass: 2 }]);
    expect(mergeEdgeBoxes([on, { ...off, polarity: 0.8 }], 1)).toHaveLength(2);
    // Two bars, each firing both its edges: slightly opposite on balance, but two objects.
    expect(mergeEdgeBoxes([{ ...on, polarity: 0.1 }, { ...off, polarity: -0.2 }], 1)).toHaveLength(2);
  });
  it('computes IoU', () => {
    expect(iou(0, 0, 10, 10, 0, 0, 10, 10)).toBe(1);
    expect(iou(0, 0, 10, 10, 5, 0, 10, 10)).toBeCloseTo(50 / 150, 12);
    expect(iou(0, 0, 10, 10, 10, 0, 10, 10)).toBe(0);
  });
});
