import { describe, expect, it } from 'vitest';
import { invertPolarity } from '../../src/operators/invertPolarity.ts';
import { mergePolarity } from '../../src/operators/mergePolarity.ts';
import { selectPolarity } from '../../src/operators/selectPolarity.ts';
import { batchOf, chunks, joined, NO_NCARS, ncarsPath, readNcars, rowsOf, run, snapshot, type Row } from './batches.ts';

const geometry = { width: 4, height: 4 };
const events: Row[] = [
  [1, 0, 0, 1],
  [2, 1, 1, 0],
  [3, 2, 2, 0],
  [4, 3, 3, 1],
];

describe('polarity operators', () => {
  it('selectPolarity keeps ON or OFF events', async () => {
    const input = batchOf(geometry, events);
    const before = snapshot(input);
    expect(rowsOf((await run([input], selectPolarity({ keep: 'on' })))[0])).toEqual([events[0], events[3]]);
    expect(rowsOf((await run([input], selectPolarity({ keep: 'off' })))[0])).toEqual([events[1], events[2]]);
    expect(snapshot(input)).toEqual(before);
  });

  it('mergePolarity gives every event one polarity', async () => {
    const input = batchOf(geometry, events);
    expect(rowsOf((await run([input], mergePolarity()))[0]).map((r) => r[3])).toEqual([1, 1, 1, 1]);
    expect(rowsOf((await run([input], mergePolarity({ to: 'off' })))[0]).map((r) => r[3])).toEqual([0, 0, 0, 0]);
    expect(input.p).toEqual(Uint8Array.from([1, 0, 0, 1]));
  });

  it('invertPolarity swaps ON and OFF', async () => {
    const input = batchOf(geometry, events);
    const out = await run([input], invertPolarity());
    expect(rowsOf(out[0])).toEqual(events.map(([t, x, y, p]) => [t, x, y, 1 - p]));
    expect(input.p).toEqual(Uint8Array.from([1, 0, 0, 1]));
  });
});

describe.skipIf(!ncarsPath)(`polarity operators on the NCARS recording${ncarsPath ? '' : ` (${NO_NCARS})`}`, () => {
  it('split the recording into its published ON and OFF counts', async () => {
    const events = readNcars();
    const on = joined(await run(chunks(events, 1000), selectPolarity({ keep: 'on' })), events);
    const off = joined(await run(chunks(events, 1000), selectPolarity({ keep: 'off' })), events);
    expect([on.length, off.length]).toEqual([1671, 2736]); // MANIFEST: OFF=2736 ON=1671
    const inverted = joined(await run(chunks(events, 1000), invertPolarity()), events);
    expect(rowsOf(inverted)).toEqual(rowsOf(events).map(([t, x, y, p]) => [t, x, y, 1 - p]));
    const merged = joined(await run(chunks(events, 1000), mergePolarity()), events);
    expect(merged.p.every((p) => p === 1)).toBe(true);
    expect(merged.t).toEqual(events.t);
  });
});
