import { describe, expect, it } from 'vitest';
import { Tracker } from '../../src/readout/tracker.ts';

const box = (x: number, y: number, s = 20) => ({ x0: x, y0: y, x1: x + s, y1: y + s, mass: 5 });

describe('Tracker', () => {
  it('reports a track only after minHits matches, keeps its id and estimates velocity', () => {
    const tracker = new Tracker({ minHits: 2, smoothing: 1, velocitySmoothing: 1 });
    expect(tracker.update(10_000, [box(100, 50)])).toEqual([]);
    const second = tracker.update(20_000, [box(105, 50)]);
    expect(second).toHaveLength(1);
    expect(second[0]).toMatchObject({ id: 1, x: 105, y: 50, w: 20, h: 20, vx: 500, vy: 0 });
    const third = tracker.update(30_000, [box(110, 50)]);
    expect(third[0]).toMatchObject({ id: 1, x: 110, vx: 500 });
  });
  it('keeps two objects apart and gives each its own id', () => {
    const tracker = new Tracker({ minHits: 1 });
    tracker.update(0, [box(0, 0), box(200, 0)]);
    const frame = tracker.update(10_000, [box(203, 0), box(3, 0)]);
    expect(frame.map((b) => [b.id, b.x > 100])).toEqual([
      [1, false],
      [2, true],
    ]);
  });
  it('coasts a missed track briefly, then drops it after the time-out', () => {
    const tracker = new Tracker({ minHits: 1, coastUs: 15_000, timeoutUs: 30_000 });
    tracker.update(0, [box(0, 0)]);
    expect(tracker.update(10_000, [])).toHaveLength(1);
    expect(tracker.update(20_000, [])).toHaveLength(0);
    // After the time-out the same place starts a new track with a new id.
    tracker.update(50_000, []);
    expect(tracker.update(60_000, [box(0, 0)])[0].id).toBe(2);
  });
  it('never reports a single flicker', () => {
    const tracker = new Tracker({ minHits: 3 });
    for (let k = 0; k < 5; k++) expect(tracker.update(k * 10_000, [box(k * 100, 0)])).toEqual([]);
  });
  it('keeps two confirmed compact objects apart when they travel alike side by side', () => {
    const tracker = new Tracker({ minHits: 2, smoothing: 1, velocitySmoothing: 1 });
    // Two 20 px squares moving right at 300 and 250 px/s, the faster one behind: the 10 px gap closes to 0.
    let frame: ReturnType<Tracker['update']> = [];
    for (let k = 0; k <= 20; k++) frame = tracker.update(k * 10_000, [box(3 * k, 0), box(30 + 2.5 * k, 0)]);
    expect(frame.map((b) => [b.id, b.x, b.vx])).toEqual([
      [1, 60, 300],
      [2, 80, 250],
    ]);
  });
});
