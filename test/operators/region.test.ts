import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.ts';
import { crop } from '../../src/operators/crop.ts';
import { mask } from '../../src/operators/mask.ts';
import { batchOf, chunks, joined, NO_NCARS, ncarsPath, readNcars, rowsOf, run, snapshot, type Row } from './batches.ts';

const geometry = { width: 10, height: 8 };
const events: Row[] = [
  [1, 2, 3, 1], // top-left corner of the region
  [2, 5, 4, 0], // bottom-right corner
  [3, 6, 4, 1], // just right of it
  [4, 1, 3, 1], // just left
  [5, 3, 5, 0], // just below
  [6, 9, 7, 1], // far away
];
const region = { x: 2, y: 3, width: 4, height: 2 };

describe('crop', () => {
  it('keeps the events inside the region, re-based, with the region’s geometry', async () => {
    const input = batchOf(geometry, events);
    const before = snapshot(input);
    const out = await run([input], crop(region));
    expect(rowsOf(out[0])).toEqual([[1, 0, 0, 1], [2, 3, 1, 0]]);
    expect(out[0]).toMatchObject({ width: 4, height: 2 });
    expect(snapshot(input)).toEqual(before);
  });

  it('keeps a region touching the sensor’s far corner, and the whole sensor as a region', async () => {
    const corner = await run([batchOf(geometry, events)], crop({ x: 5, y: 4, width: 5, height: 4 }));
    expect(rowsOf(corner[0])).toEqual([[2, 0, 0, 0], [3, 1, 0, 1], [6, 4, 3, 1]]);
    const whole = await run(chunks(batchOf(geometry, events), 4), crop({ width: 10, height: 8 }));
    expect(rowsOf(joined(whole, geometry))).toEqual(events);
  });

  it('ends the stream with a ConfigError when the region reaches past the sensor', async () => {
    const failure = run([batchOf(geometry, events)], crop({ x: 8, y: 0, width: 4, height: 2 }, 'filters[1]'));
    await expect(failure).rejects.toThrow(ConfigError);
    await expect(failure).rejects.toThrow('filters[1].width: 4 is not allowed (x + width <= the sensor width 10 (x = 8))');
  });
});

describe('mask', () => {
  it('keeps the events inside the region at their own coordinates', async () => {
    const out = await run([batchOf(geometry, events)], mask(region));
    expect(rowsOf(out[0])).toEqual([events[0], events[1]]);
    expect(out[0]).toMatchObject({ width: 10, height: 8 });
  });

  it('keeps the events outside the region with outside: true', async () => {
    const out = await run([batchOf(geometry, events)], mask({ ...region, outside: true }));
    expect(rowsOf(out[0])).toEqual(events.slice(2));
  });
});

describe.skipIf(!ncarsPath)(`crop and mask on the NCARS recording${ncarsPath ? '' : ` (${NO_NCARS})`}`, () => {
  it('agree with a plain filter and with each other', async () => {
    const events = readNcars();
    const r = { x: 10, y: 20, width: 30, height: 25 };
    const inside = rowsOf(events).filter(([, x, y]) => x >= 10 && x < 40 && y >= 20 && y < 45);
    const masked = await run(chunks(events, 700), mask(r));
    const cropped = await run(chunks(events, 700), crop(r));
    expect(rowsOf(joined(masked, events))).toEqual(inside);
    expect(rowsOf(joined(cropped, r))).toEqual(inside.map(([t, x, y, p]) => [t, x - 10, y - 20, p]));
    expect(inside.length).toBe(633);
  });
});
