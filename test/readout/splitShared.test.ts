import { describe, expect, it } from 'vitest';
import { ComponentFinder } from '../../src/readout/components.ts';
import { splitSharedComponents } from '../../src/readout/splitShared.ts';
import { Tracker } from '../../src/readout/tracker.ts';

/** A grid from a picture: digits are activity, '.' is 0. */
function grid(rows: string[]): Float32Array {
  const out = new Float32Array(rows.length * rows[0].length);
  rows.forEach((row, y) => [...row].forEach((c, x) => (out[y * row.length + x] = c === '.' ? 0 : Number(c))));
  return out;
}

// Two 3×3-cell objects touching corner to corner: one connected blob (8-connectivity). Pool 4 px.
const touching = [
  '..........',
  '.111......',
  '.111......',
  '.1111.....',
  '....111...',
  '....111...',
  '..........',
];

describe('splitSharedComponents', () => {
  const finder = new ComponentFinder(10, 7);
  const activity = grid(touching);
  const components = finder.find(activity, 1);

  it('labels every cell of a kept component with its index', () => {
    expect(components.count).toBe(1);
    expect(components.labels[1 * 10 + 1]).toBe(0);
    expect(components.labels[5 * 10 + 6]).toBe(0);
    expect(components.labels[0]).toBe(-1);
    expect(components.labels.filter((l) => l === 0).length).toBe(16);
  });

  it('shares one blob between the two tracks predicted on it: one box each, tagged with the track', () => {
    const predictions = [
      { key: 7, x: 4, y: 4, w: 12, h: 12 },
      { key: 9, x: 16, y: 16, w: 12, h: 12 },
    ];
    const { boxes, split } = splitSharedComponents(components, activity, 1, 10, 4, predictions);
    expect(Array.from(split)).toEqual([1]);
    // Cell (4, 3) is equally deep in both; the first track keeps it.
    expect(boxes).toEqual([
      { x0: 4, y0: 4, x1: 20, y1: 16, mass: 10, track: 7 },
      { x0: 16, y0: 16, x1: 28, y1: 24, mass: 6, track: 9 },
    ]);
  });

  it('leaves a blob alone when it is no bigger than the largest track reaching into it', () => {
    const predictions = [
      { key: 1, x: 4, y: 4, w: 24, h: 20 },
      { key: 2, x: 20, y: 20, w: 8, h: 4 },
    ];
    const { boxes, split } = splitSharedComponents(components, activity, 1, 10, 4, predictions);
    expect(Array.from(split)).toEqual([0]);
    expect(boxes).toEqual([]);
  });

  it('gives a hidden track (no cell of its own) an empty box at its prediction', () => {
    const predictions = [
      { key: 1, x: 4, y: 4, w: 12, h: 12 },
      { key: 2, x: 16, y: 16, w: 12, h: 12 },
      { key: 3, x: 40, y: 0, w: 4, h: 4 },
    ];
    const { boxes } = splitSharedComponents(components, activity, 1, 10, 4, predictions);
    expect(boxes.map((b) => b.track)).toEqual([1, 2]);
    const far = splitSharedComponents(finder.find(grid(['..1.', '....']), 1), grid(['..1.', '....']), 1, 4, 4, predictions);
    expect(far.boxes).toEqual([]);
  });
});

describe('Tracker with shared boxes', () => {
  const box = (x: number, y: number, s = 20, track?: number) => ({ x0: x, y0: y, x1: x + s, y1: y + s, mass: 5, track });

  it('keeps two crossing objects apart: each share moves its own track, size and velocity held', () => {
    const tracker = new Tracker({ minHits: 2, smoothing: 1, velocitySmoothing: 1, sharedSmoothing: 0 });
    tracker.update(0, [box(0, 0), box(100, 0)]);
    tracker.update(10_000, [box(10, 0), box(90, 0)]);
    const predictions = tracker.predictions(20_000);
    expect(predictions.map((p) => [p.x, p.w])).toEqual([
      [20, 20],
      [80, 20],
    ]);
    // The shares are cut where the objects meet: with sharedSmoothing 0 the tracks follow their predictions.
    const frame = tracker.update(20_000, [
      { ...box(20, 0, 10), track: predictions[0].key },
      { ...box(85, 0, 15), track: predictions[1].key },
    ]);
    expect(frame.map((b) => [b.id, b.x, b.w, b.vx])).toEqual([
      [1, 20, 20, 1000],
      [2, 80, 20, -1000],
    ]);
  });

  it('moves a track by the least shift that agrees with its share: narrower inside the box, wider around it', () => {
    // Two 20 px tracks at rest (x 0 and 100), then shares with sharedSmoothing 1 so the shift is taken whole.
    const start = () => {
      const tracker = new Tracker({ minHits: 1, smoothing: 1, velocitySmoothing: 1, sharedSmoothing: 1 });
      tracker.update(0, [box(0, 0), box(100, 0)]);
      return { tracker, keys: tracker.predictions(10_000).map((p) => p.key) };
    };
    const shared = (x0: number, x1: number, track: number) => ({ x0, y0: 0, x1, y1: 20, mass: 5, track });
    // One edge seen inside the box (x 12..20) and a share poking 6 px out on the right (x 106..126).
    const a = start();
    const inside = a.tracker.update(10_000, [shared(12, 20, a.keys[0]), shared(106, 126, a.keys[1])]);
    expect(inside.map((b) => [b.x, b.w])).toEqual([
      [0, 20],
      [106, 20],
    ]);
    // A share wider than the box that holds it (cells left behind) keeps the prediction; one that does not
    // hold it moves the box just inside it, not to its centre (centres would be x 5 and 110).
    const b = start();
    const wide = b.tracker.update(10_000, [shared(-10, 20, b.keys[0]), shared(110, 150, b.keys[1])]);
    expect(wide.map((d) => [d.x, d.w])).toEqual([
      [0, 20],
      [110, 20],
    ]);
  });

  it('an empty share does not refresh a track: it coasts and then stops being reported', () => {
    const tracker = new Tracker({ minHits: 1, coastUs: 15_000, timeoutUs: 50_000 });
    tracker.update(0, [box(0, 0)]);
    const key = tracker.predictions(10_000)[0].key;
    expect(tracker.update(10_000, [{ ...box(0, 0), mass: 0, track: key }])).toHaveLength(1);
    expect(tracker.update(20_000, [{ ...box(0, 0), mass: 0, track: key }])).toHaveLength(0);
  });

  it('merges two tracks on one object (its two edges) that move alike (both edges seen at once)', () => {
    const tracker = new Tracker({ minHits: 1, smoothing: 1, velocitySmoothing: 1 });
    // Leading and trailing edge of a 30 px square moving right at 500 px/s, seen as two boxes 2 px apart.
    const edges = (x: number) => [
      { x0: x, y0: 0, x1: x + 8, y1: 30, mass: 5 },
      { x0: x + 10, y0: 0, x1: x + 30, y1: 30, mass: 5 },
    ];
    const frame = tracker.update(0, edges(0));
    expect(frame).toHaveLength(1);
    expect(frame[0]).toMatchObject({ x: 0, w: 30, h: 30 });
    // Objects moving differently stay apart even when they touch.
    const two = new Tracker({ minHits: 1, smoothing: 1, velocitySmoothing: 1 });
    two.update(0, [box(0, 0), box(40, 0)]);
    two.update(10_000, [box(5, 0), box(35, 0)]);
    expect(two.update(20_000, [box(10, 0), box(30, 0)])).toHaveLength(2);
  });
});
