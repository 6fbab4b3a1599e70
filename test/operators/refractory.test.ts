import { describe, expect, it } from 'vitest';
import { refractory } from '../../src/operators/refractory.ts';
import { batchOf, chunks, joined, NO_NCARS, ncarsPath, readNcars, rowsOf, run, snapshot, type Row } from './batches.ts';
import { referenceRefractory } from './reference.ts';

const geometry = { width: 2, height: 1 };
const events: Row[] = [
  [0, 0, 0, 1], // first of its pixel: kept
  [5, 0, 0, 0], // 5 µs after: dropped (and restarts the period); per polarity: first OFF, kept
  [14, 0, 0, 1], // 9 µs after the dropped one: dropped; per polarity: 14 µs after the last ON, kept
  [24, 0, 0, 1], // exactly 10 µs after: kept
  [25, 1, 0, 1], // another pixel: kept
  [30, 0, 0, 0], // 6 µs after (24): dropped; per polarity: 25 µs after the last OFF, kept
];

describe('refractory', () => {
  it('drops events closer than periodUs to their pixel’s previous event, across batches', async () => {
    const input = [batchOf(geometry, events.slice(0, 2)), batchOf(geometry, events.slice(2))];
    const before = input.map(snapshot);
    const out = await run(input, refractory({ periodUs: 10 }));
    expect(out.map(rowsOf)).toEqual([[events[0]], [events[3], events[4]]]);
    expect(input.map(snapshot)).toEqual(before);
  });

  it('tracks ON and OFF apart with perPolarity', async () => {
    const out = await run([batchOf(geometry, events)], refractory({ periodUs: 10, perPolarity: true }));
    expect(rowsOf(out[0])).toEqual(events);
  });

  it('passes empty batches through as empty batches', async () => {
    const out = await run([batchOf(geometry, [])], refractory({ periodUs: 10 }));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ length: 0, width: 2, height: 1 });
  });
});

describe.skipIf(!ncarsPath)(`refractory on the NCARS recording${ncarsPath ? '' : ` (${NO_NCARS})`}`, () => {
  it('matches the plain reference event for event', async () => {
    const events = readNcars();
    const expected = referenceRefractory(rowsOf(events), 5000);
    const out = await run(chunks(events, 1000), refractory({ periodUs: 5000 }));
    expect(rowsOf(joined(out, events))).toEqual(expected);
    expect(expected.length).toBe(3319); // of 4407 events
  });
});
