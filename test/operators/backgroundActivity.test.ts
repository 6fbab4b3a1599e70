import { describe, expect, it } from 'vitest';
import { backgroundActivity } from '../../src/operators/backgroundActivity.ts';
import { batchOf, chunks, joined, NO_NCARS, ncarsPath, readNcars, rowsOf, run, snapshot, type Row } from './batches.ts';
import { referenceBackgroundActivity } from './reference.ts';

const geometry = { width: 4, height: 3 };
const events: Row[] = [
  [0, 1, 1, 1], // nothing before: dropped
  [5, 2, 1, 0], // (1,1) fired 5 µs ago: kept
  [12, 1, 1, 1], // (2,1) fired 7 µs ago: kept
  [20, 3, 2, 1], // neighbours (2,1) 15 µs ago, (2,2) never: dropped
  [21, 3, 2, 0], // only its own pixel fired (1 µs ago): kept with includeSelf only
  [30, 0, 0, 1], // corner; (1,1) 18 µs ago: dropped
  [31, 1, 0, 1], // (0,0) 1 µs ago: kept
  [41, 2, 0, 1], // (1,0) exactly 10 µs ago: not within the window, dropped
];

describe('backgroundActivity', () => {
  it('keeps events with a neighbour event less than windowUs before, across batches', async () => {
    const input = [batchOf(geometry, events.slice(0, 3)), batchOf(geometry, events.slice(3))];
    const before = input.map(snapshot);
    const out = await run(input, backgroundActivity({ windowUs: 10 }));
    expect(out.map(rowsOf)).toEqual([[events[1], events[2]], [events[6]]]);
    expect(out[0]).toMatchObject({ width: 4, height: 3, length: 2 });
    expect(input.map(snapshot)).toEqual(before); // the input is never written
    expect(out[0].t.buffer).not.toBe(input[0].t.buffer);
  });

  it('counts the pixel itself as support with includeSelf', async () => {
    const out = await run([batchOf(geometry, events)], backgroundActivity({ windowUs: 10, includeSelf: true }));
    expect(rowsOf(out[0])).toEqual([events[1], events[2], events[4], events[6]]);
  });

  it('keeps separate state per subscription', async () => {
    const operator = backgroundActivity({ windowUs: 10 });
    const first = await run([batchOf(geometry, events)], operator);
    const second = await run([batchOf(geometry, events)], operator);
    expect(rowsOf(second[0])).toEqual(rowsOf(first[0]));
  });

  it('ends the stream with an error if the geometry changes', async () => {
    const input = [batchOf(geometry, events.slice(0, 2)), batchOf({ width: 5, height: 3 }, events.slice(2))];
    await expect(run(input, backgroundActivity({ windowUs: 10 }))).rejects.toThrow(/changed from 4x3 to 5x3/);
  });
});

describe.skipIf(!ncarsPath)(`backgroundActivity on the NCARS recording${ncarsPath ? '' : ` (${NO_NCARS})`}`, () => {
  it('matches the plain reference event for event, whatever the batching', async () => {
    const events = readNcars();
    const expected = referenceBackgroundActivity(rowsOf(events), events.width, events.height, 2000);
    const out = await run(chunks(events, 333), backgroundActivity({ windowUs: 2000 }));
    expect(rowsOf(joined(out, events))).toEqual(expected);
    expect(expected.length).toBe(2613); // of 4407 events
  });
});
