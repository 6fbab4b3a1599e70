import { describe, expect, it } from 'vitest';
import { downsample } from '../../src/operators/downsample.ts';
import { batchOf, chunks, joined, NO_NCARS, ncarsPath, readNcars, rowsOf, run, snapshot, type Row } from './batches.ts';

const geometry = { width: 5, height: 3 };
const events: Row[] = [
  [1, 0, 0, 1],
  [2, 1, 1, 1], // same cell (0,0), ON again
  [3, 4, 2, 0], // cell (2,1): the partial last column and row
  [4, 2, 0, 0],
  [5, 3, 1, 0], // cell (1,0), OFF again
  [6, 0, 1, 0], // cell (0,0), but OFF
  [7, 1, 0, 1], // cell (0,0), ON a third time
];

describe('downsample', () => {
  it('divides coordinates by the factor and rounds the geometry up', async () => {
    const input = batchOf(geometry, events);
    const before = snapshot(input);
    const [out] = await run([input], downsample({ factor: 2 }));
    expect(rowsOf(out)).toEqual(events.map(([t, x, y, p]) => [t, Math.floor(x / 2), Math.floor(y / 2), p]));
    expect(out).toMatchObject({ width: 3, height: 2 });
    expect(snapshot(input)).toEqual(before);
  });

  it('divides by a factor that is not a power of two (table lookup instead of a shift)', async () => {
    const [out] = await run([batchOf(geometry, events)], downsample({ factor: 3 }));
    expect(rowsOf(out)).toEqual(events.map(([t, x, y, p]) => [t, Math.floor(x / 3), Math.floor(y / 3), p]));
    expect(out).toMatchObject({ width: 2, height: 1 });
  });

  it('emits one event per `threshold` events of one cell and polarity, across batches', async () => {
    const input = [batchOf(geometry, events.slice(0, 4)), batchOf(geometry, events.slice(4))];
    const out = await run(input, downsample({ factor: 2, threshold: 2 }));
    expect(out.map(rowsOf)).toEqual([[[2, 0, 0, 1]], [[5, 1, 0, 0]]]);
    // The third ON of cell (0,0) at t=7 waits for a fourth.
  });
});

describe.skipIf(!ncarsPath)(`downsample on the NCARS recording${ncarsPath ? '' : ` (${NO_NCARS})`}`, () => {
  it('with threshold N emits floor(count / N) events per cell and polarity', async () => {
    const events = readNcars();
    const out = joined(await run(chunks(events, 600), downsample({ factor: 4, threshold: 3 })), { width: 14, height: 16 });
    expect(out).toMatchObject({ width: 14, height: 16 });
    const counts = new Map<string, number>();
    for (const [, x, y, p] of rowsOf(events)) {
      const key = `${x >> 2},${y >> 2},${p}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const got = new Map<string, number>();
    for (const [, x, y, p] of rowsOf(out)) got.set(`${x},${y},${p}`, (got.get(`${x},${y},${p}`) ?? 0) + 1);
    const expected = new Map([...counts].map(([k, n]) => [k, Math.floor(n / 3)]).filter(([, n]) => n !== 0) as [string, number][]);
    expect(got).toEqual(expected);
    expect(out.length).toBe(1367);
    // Output times never decrease.
    expect(out.t.every((t, i) => i === 0 || t >= out.t[i - 1])).toBe(true);
  });
});
