import { describe, expect, it } from 'vitest';
import { hotPixel } from '../../src/operators/hotPixel.ts';
import { batchOf, chunks, joined, NO_NCARS, ncarsPath, readNcars, rowsOf, run, snapshot, type Row } from './batches.ts';

const geometry = { width: 3, height: 1 };

describe('hotPixel', () => {
  it('drops the listed pixels', async () => {
    const rows: Row[] = [
      [1, 0, 0, 1],
      [2, 1, 0, 1],
      [3, 2, 0, 0],
      [4, 1, 0, 0],
    ];
    const input = batchOf(geometry, rows);
    const before = snapshot(input);
    const out = await run([input], hotPixel({ pixels: [[1, 0], [7, 7]] }));
    expect(rowsOf(out[0])).toEqual([rows[0], rows[2]]);
    expect(snapshot(input)).toEqual(before);
  });

  it('learns pixels firing more than factor × the mean over the learning window', async () => {
    // Learning window [100, 200): pixel 0 fires once, pixel 1 once, pixel 2 ten times. Mean over the three
    // firing pixels = 4; with factor 2 the limit is 8, so only pixel 2 is hot.
    const learning: Row[] = [[100, 0, 0, 1], [101, 1, 0, 1]];
    for (let k = 0; k < 10; k++) learning.push([110 + k, 2, 0, 1]);
    const after: Row[] = [[200, 2, 0, 1], [201, 0, 0, 0], [250, 2, 0, 0], [260, 1, 0, 1]];
    const learned: [number, number][][] = [];
    const out = await run(
      [batchOf(geometry, learning.slice(0, 5)), batchOf(geometry, [...learning.slice(5), ...after])],
      hotPixel({ learnUs: 100, factor: 2, onLearned: (pixels) => learned.push(pixels) }),
    );
    // Everything passes while learning; afterwards pixel 2 is dropped.
    expect(rowsOf(joined(out, geometry))).toEqual([...learning, after[1], after[3]]);
    expect(learned).toEqual([[[2, 0]]]);
  });

  it('needs something to do', () => {
    expect(() => hotPixel({})).toThrow(/hotPixel: \{\} is not allowed \(listed "pixels", a learning window/);
  });
});

function referenceHotPixels(rows: Row[], width: number, learnUs: number, factor: number): Set<number> {
  const counts = new Map<number, number>();
  const end = rows[0][0] + learnUs;
  for (const [t, x, y] of rows) if (t < end) counts.set(y * width + x, (counts.get(y * width + x) ?? 0) + 1);
  const mean = [...counts.values()].reduce((a, b) => a + b, 0) / counts.size;
  return new Set([...counts].filter(([, n]) => n > factor * mean).map(([c]) => c));
}

describe.skipIf(!ncarsPath)(`hotPixel on the NCARS recording${ncarsPath ? '' : ` (${NO_NCARS})`}`, () => {
  it('learns the same pixels as the plain reference and drops exactly their later events', async () => {
    const events = readNcars();
    const rows = rowsOf(events);
    const hot = referenceHotPixels(rows, events.width, 50_000, 4);
    let learned: [number, number][] = [];
    const out = await run(chunks(events, 500), hotPixel({ learnUs: 50_000, factor: 4, onLearned: (p) => (learned = p) }));
    expect(new Set(learned.map(([x, y]) => y * events.width + x))).toEqual(hot);
    expect(hot.size).toBe(11);
    const expected = rows.filter(([t, x, y]) => t < 50_000 || !hot.has(y * events.width + x));
    expect(rowsOf(joined(out, events))).toEqual(expected);
  });
});
