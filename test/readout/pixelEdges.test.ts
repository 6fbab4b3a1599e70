import { describe, expect, it } from 'vitest';
import { makeBatch, type EventBatch } from '../../src/events/eventBatch.ts';
import { PixelEdges, type PixelEdgeOptions } from '../../src/readout/pixelEdges.ts';
import { RecentEvents } from '../../src/readout/recentEvents.ts';

const W = 100;
const H = 60;

function batch(events: readonly [t: number, x: number, y: number, p: number][]): EventBatch {
  return makeBatch(
    { width: W, height: H },
    Float64Array.from(events.map((e) => e[0])),
    Uint16Array.from(events.map((e) => e[1])),
    Uint16Array.from(events.map((e) => e[2])),
    Uint8Array.from(events.map((e) => e[3])),
  );
}

/** One event per pixel of the rectangle [x0, x1) × [y0, y1), all at time t. */
function rect(t: number, x0: number, y0: number, x1: number, y1: number, p = 1): [number, number, number, number][] {
  const out: [number, number, number, number][] = [];
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) out.push([t, x, y, p]);
  return out;
}

const OPTIONS: PixelEdgeOptions = { windowUs: 5000, margin: 4, quantile: 0.02, minEvents: 8, onsetOnly: true, motionCompensate: true };
const CELL_BOX = { x0: 8, y0: 8, x1: 24, y1: 24, mass: 1 };

describe('RecentEvents', () => {
  it('marks onsets (polarity change or a quiet pixel), finds time ranges and forgets old events', () => {
    const recent = new RecentEvents(W, H, 50_000);
    recent.add(batch([[0, 1, 1, 1], [1000, 1, 1, 1], [2000, 1, 1, 0], [3000, 2, 1, 0]]));
    recent.add(batch([[60_000, 1, 1, 0], [61_000, 1, 1, 0]]));
    expect([...recent.onset.subarray(recent.start, recent.end)]).toEqual([1, 0, 1, 1, 1, 0]);
    expect(recent.range(1000, 3000)).toEqual([1, 3]);
    recent.dropBefore(2500);
    expect(recent.range(0, Infinity)).toEqual([3, 6]);
  });

  it('keeps the window intact while it grows and compacts', () => {
    const recent = new RecentEvents(W, H, 50_000);
    for (let k = 0; k < 10; k++) {
      recent.add(batch(Array.from({ length: 1500 }, (_, i) => [k * 1500 + i, i % W, k, 1] as [number, number, number, number])));
      recent.dropBefore(k * 1500 - 2000);
    }
    const [from, to] = recent.range(13_000, 13_010);
    expect(to - from).toBe(10);
    expect(recent.t[from]).toBe(13_000);
    expect(recent.y[from]).toBe(8);
    expect(recent.x[from]).toBe(13_000 % 1500 % W);
  });
});

describe('PixelEdges', () => {
  it('moves cell-level edges to the events, ignoring a stray event beyond the quantile', () => {
    const recent = new RecentEvents(W, H, 50_000);
    recent.add(batch([...rect(9000, 12, 10, 22, 20), [9500, 5, 26, 0]]));
    const [box] = new PixelEdges(W, H).refine([CELL_BOX], recent, 10_000, OPTIONS);
    expect([box.x0, box.y0, box.x1, box.y1]).toEqual([12, 10, 22, 20]);
  });

  it('uses only the window, only onsets, and leaves boxes of a shared blob (tagged with a track) alone', () => {
    const recent = new RecentEvents(W, H, 50_000);
    // Old events left of the object and to its right, then the object, then repeats of the right-hand pixels
    // (same polarity within 50 ms: a slow pixel's tail, no onsets).
    recent.add(batch([...rect(1000, 8, 8, 12, 24), ...rect(2000, 22, 10, 24, 20), ...rect(9000, 12, 10, 22, 20), ...rect(9500, 12, 10, 22, 20)]));
    recent.add(batch(rect(9700, 22, 10, 24, 20)));
    const tagged = { ...CELL_BOX, track: 3 };
    const [box, kept] = new PixelEdges(W, H).refine([CELL_BOX, tagged], recent, 10_000, OPTIONS);
    expect([box.x0, box.y0, box.x1, box.y1]).toEqual([12, 10, 22, 20]);
    expect(kept).toBe(tagged);
    const all = new PixelEdges(W, H).refine([CELL_BOX], recent, 10_000, { ...OPTIONS, onsetOnly: false })[0];
    expect([all.x0, all.x1]).toEqual([12, 24]);
  });

  it('moves events along the velocity of the track on the box by their age (motion compensation)', () => {
    const recent = new RecentEvents(W, H, 50_000);
    recent.add(batch(rect(8000, 10, 10, 20, 20)));
    const track = { key: 1, x: 10, y: 10, w: 10, h: 10, vx: 1000, vy: -500 };
    const [moved] = new PixelEdges(W, H).refine([CELL_BOX], recent, 10_000, OPTIONS, [track]);
    expect([moved.x0, moved.y0, moved.x1, moved.y1]).toEqual([12, 9, 22, 19]);
    const [still] = new PixelEdges(W, H).refine([CELL_BOX], recent, 10_000, { ...OPTIONS, motionCompensate: false }, [track]);
    expect([still.x0, still.y0, still.x1, still.y1]).toEqual([10, 10, 20, 20]);
  });

  it('keeps the cell-level box when too few events are in reach', () => {
    const recent = new RecentEvents(W, H, 50_000);
    recent.add(batch(rect(9000, 12, 10, 14, 12)));
    const [box] = new PixelEdges(W, H).refine([CELL_BOX], recent, 10_000, { ...OPTIONS, minEvents: 8 });
    expect(box).toEqual(CELL_BOX);
  });
});
