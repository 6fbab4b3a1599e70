import { Subject, take } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { makeBatch, type EventBatch } from '../../src/events/eventBatch.ts';
import { countWindow } from '../../src/operators/countWindow.ts';
import { timeWindow, type WindowedBatch } from '../../src/operators/timeWindow.ts';
import { batchOf, chunks, joined, NO_NCARS, ncarsPath, readNcars, rowsOf, run, snapshot, type Row } from './batches.ts';

const geometry = { width: 8, height: 8 };
const events: Row[] = [
  [3, 1, 1, 1],
  [7, 2, 2, 0],
  [12, 3, 3, 1],
  [35, 4, 4, 0],
  [36, 5, 5, 1],
];
const windowsOf = (out: WindowedBatch[]) => out.map((w) => [w.windowStart, w.windowEnd, rowsOf(w)]);

describe('timeWindow', () => {
  it('emits aligned windows when they are complete, empty ones for gaps, and the last on completion', () => {
    const input = new Subject<EventBatch>();
    const out: WindowedBatch[] = [];
    let done = false;
    input.pipe(timeWindow({ windowUs: 10 })).subscribe({ next: (w) => out.push(w), complete: () => (done = true) });

    const trigger = { t: Float64Array.of(25), id: Uint8Array.of(0), value: Uint8Array.of(1), length: 1 };
    const first = batchOf(geometry, events.slice(0, 2));
    const second = batchOf(geometry, events.slice(2, 4));
    const before = [snapshot(first), snapshot(second)];
    input.next(first);
    expect(out).toEqual([]); // [0, 10) could still get events
    input.next(makeBatch(geometry, second.t, second.x, second.y, second.p, trigger));
    expect(windowsOf(out)).toEqual([
      [0, 10, [events[0], events[1]]],
      [10, 20, [events[2]]],
      [20, 30, []],
    ]);
    expect(out[2].triggers?.t).toEqual(Float64Array.of(25)); // the trigger leaves with its window
    expect(out[0].triggers).toBeUndefined();
    input.next(batchOf(geometry, events.slice(4)));
    input.complete();
    expect(windowsOf(out).slice(3)).toEqual([[30, 40, [events[3], events[4]]]]);
    expect(done).toBe(true);
    expect([snapshot(first), snapshot(second)]).toEqual(before);
  });

  it('leaves the empty windows out with skipEmpty', async () => {
    const out = await run([batchOf(geometry, events)], timeWindow({ windowUs: 10, skipEmpty: true }));
    expect(out.map((w) => w.windowStart)).toEqual([0, 10, 30]);
  });

  it('stops emitting the empty windows of a huge gap as soon as the consumer unsubscribes', async () => {
    // 10^12 µs of silence with 1 µs windows would be 10^12 batches: only the 3 taken may be produced.
    const gap = batchOf(geometry, [[0, 0, 0, 1], [1e12, 0, 0, 1]]);
    const out = await run([gap], (source) => source.pipe(timeWindow({ windowUs: 1 }), take(3)));
    expect(out.map((w) => [w.windowStart, w.length])).toEqual([[0, 1], [1, 0], [2, 0]]);
  });

  it('emits nothing for a stream without events', async () => {
    expect(await run([batchOf(geometry, [])], timeWindow({ windowUs: 10 }))).toEqual([]);
  });
});

describe('countWindow', () => {
  it('re-batches into exactly `count` events, the rest on completion', async () => {
    const rows: Row[] = Array.from({ length: 7 }, (_, i) => [i, i, 0, i % 2]);
    const input = [batchOf(geometry, rows.slice(0, 2)), batchOf(geometry, rows.slice(2, 4)), batchOf(geometry, rows.slice(4))];
    const out = await run(input, countWindow({ count: 3 }));
    expect(out.map(rowsOf)).toEqual([rows.slice(0, 3), rows.slice(3, 6), rows.slice(6)]);
    expect(out[0]).toMatchObject({ width: 8, height: 8 });
  });

  it('emits nothing more on completion when the events divide evenly', async () => {
    const rows: Row[] = Array.from({ length: 4 }, (_, i) => [i, 0, 0, 1]);
    expect((await run([batchOf(geometry, rows)], countWindow({ count: 2 }))).map((b) => b.length)).toEqual([2, 2]);
  });
});

describe.skipIf(!ncarsPath)(`windows on the NCARS recording${ncarsPath ? '' : ` (${NO_NCARS})`}`, () => {
  it('timeWindow cuts 100 ms into ten 10 ms windows holding every event once', async () => {
    const events = readNcars();
    const out = await run(chunks(events, 777), timeWindow({ windowUs: 10_000 }));
    expect(out.map((w) => w.windowStart)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((k) => k * 10_000));
    for (const w of out) expect(w.t.every((t) => t >= w.windowStart && t < w.windowEnd)).toBe(true);
    expect(rowsOf(joined(out, events))).toEqual(rowsOf(events));
    expect(out.map((w) => w.length)).toEqual([316, 326, 396, 412, 436, 494, 495, 538, 507, 487]);
  });

  it('countWindow gives batches of 1000 and a last one of 407', async () => {
    const events = readNcars();
    const out = await run(chunks(events, 777), countWindow({ count: 1000 }));
    expect(out.map((b) => b.length)).toEqual([1000, 1000, 1000, 1000, 407]);
    expect(rowsOf(joined(out, events))).toEqual(rowsOf(events));
  });
});
