import { describe, expect, it } from 'vitest';
import type { OperatorFunction } from 'rxjs';
import type { EventBatch } from '../../src/events/eventBatch.ts';
import { flip } from '../../src/operators/flip.ts';
import { rotate } from '../../src/operators/rotate.ts';
import { transpose } from '../../src/operators/transpose.ts';
import { batchOf, chunks, joined, NO_NCARS, ncarsPath, readNcars, rowsOf, run, snapshot, type Row } from './batches.ts';

// A 4 × 3 sensor; corners named as on screen (y downwards).
const geometry = { width: 4, height: 3 };
const corners: Row[] = [
  [1, 0, 0, 1], // top-left
  [2, 3, 0, 0], // top-right
  [3, 3, 2, 1], // bottom-right
  [4, 0, 2, 0], // bottom-left
];
const coords = (b: EventBatch): [number, number][] => rowsOf(b).map(([, x, y]) => [x, y]);

async function once(operator: OperatorFunction<EventBatch, EventBatch>): Promise<EventBatch> {
  const input = batchOf(geometry, corners);
  const before = snapshot(input);
  const [out] = await run([input], operator);
  expect(snapshot(input)).toEqual(before);
  expect(out.t).toEqual(input.t);
  expect(out.p).toEqual(input.p);
  return out;
}

describe('flip', () => {
  it('mirrors left-right, up-down or both, keeping the geometry', async () => {
    expect(coords(await once(flip({ axis: 'x' })))).toEqual([[3, 0], [0, 0], [0, 2], [3, 2]]);
    expect(coords(await once(flip({ axis: 'y' })))).toEqual([[0, 2], [3, 2], [3, 0], [0, 0]]);
    const both = await once(flip({ axis: 'both' }));
    expect(coords(both)).toEqual([[3, 2], [0, 2], [0, 0], [3, 0]]);
    expect(both).toMatchObject({ width: 4, height: 3 });
  });
});

describe('rotate', () => {
  it('turns 90° clockwise: the top-left corner goes to the top-right of a 3 × 4 sensor', async () => {
    const out = await once(rotate({ degrees: 90 }));
    expect(coords(out)).toEqual([[2, 0], [2, 3], [0, 3], [0, 0]]);
    expect(out).toMatchObject({ width: 3, height: 4 });
  });

  it('turns 180° and 270°', async () => {
    const half = await once(rotate({ degrees: 180 }));
    expect(coords(half)).toEqual([[3, 2], [0, 2], [0, 0], [3, 0]]);
    expect(half).toMatchObject({ width: 4, height: 3 });
    const threeQuarters = await once(rotate({ degrees: 270 }));
    expect(coords(threeQuarters)).toEqual([[0, 3], [0, 0], [2, 0], [2, 3]]);
    expect(threeQuarters).toMatchObject({ width: 3, height: 4 });
  });
});

describe('transpose', () => {
  it('swaps x and y, and width and height', async () => {
    const out = await once(transpose());
    expect(coords(out)).toEqual([[0, 0], [0, 3], [2, 3], [2, 0]]);
    expect(out).toMatchObject({ width: 3, height: 4 });
  });
});

describe.skipIf(!ncarsPath)(`orientation on the NCARS recording${ncarsPath ? '' : ` (${NO_NCARS})`}`, () => {
  it('composes as the group of the rectangle says', async () => {
    const events = readNcars();
    const through = async (...ops: OperatorFunction<EventBatch, EventBatch>[]) => {
      let batches = chunks(events, 900);
      for (const op of ops) batches = await run(batches, op);
      return joined(batches, batches[0]);
    };
    const r90 = rotate({ degrees: 90 });
    const four = await through(r90, r90, r90, r90);
    expect(rowsOf(four)).toEqual(rowsOf(events));
    expect(four).toMatchObject({ width: 54, height: 61 });
    expect(rowsOf(await through(rotate({ degrees: 180 })))).toEqual(rowsOf(await through(flip({ axis: 'both' }))));
    // 90° clockwise = transpose, then mirror left-right.
    const viaTranspose = await through(transpose(), flip({ axis: 'x' }));
    expect(rowsOf(await through(r90))).toEqual(rowsOf(viaTranspose));
    expect(viaTranspose).toMatchObject({ width: 61, height: 54 });
    expect(rowsOf(await through(transpose(), transpose()))).toEqual(rowsOf(events));
  });
});
