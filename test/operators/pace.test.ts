import { concat, map, Observable, of, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { EventBatch } from '../../src/events/eventBatch.ts';
import { pace, type PaceOptions } from '../../src/operators/pace.ts';
import { pacedBatches } from '../../src/operators/pacedBatches.ts';
import { batchOf, chunks, joined, NO_NCARS, ncarsPath, readNcars, rowsOf, type Row } from './batches.ts';

const geometry = { width: 4, height: 4 };
const ev = (t: number): Row => [t, 1, 1, 1];

/** Runs `source` through pace on virtual time; returns [virtual ms, event times] per emission. */
function paced(source: Observable<EventBatch>, options: PaceOptions, scheduler = new TestScheduler(() => undefined)) {
  const emitted: [number, number[]][] = [];
  let completedAt = Number.NaN;
  source.pipe(pace({ ...options, scheduler })).subscribe({
    next: (b) => emitted.push([scheduler.now(), Array.from(b.t)]),
    complete: () => (completedAt = scheduler.now()),
  });
  scheduler.flush();
  return { emitted, completedAt };
}

describe('pace', () => {
  it('releases each event (t - t0) / speed after the first, splitting batches', () => {
    const batch = batchOf(geometry, [ev(1000), ev(2000), ev(2000), ev(6000)]);
    expect(paced(of(batch), { tickMs: 0 })).toEqual({
      emitted: [[0, [1000]], [1, [2000, 2000]], [5, [6000]]],
      completedAt: 5,
    });
    expect(paced(of(batch), { speed: 2, tickMs: 0 }).emitted).toEqual([[0, [1000]], [0.5, [2000, 2000]], [2.5, [6000]]]);
  });

  it('groups events closer than tickMs, releasing them late by less than tickMs, never early', () => {
    const batch = batchOf(geometry, [ev(0), ev(500), ev(1500), ev(4000)]);
    expect(paced(of(batch), { tickMs: 1 }).emitted).toEqual([[0, [0]], [1, [500]], [2, [1500]], [4, [4000]]]);
  });

  it('does not hurry events that arrive late, and keeps empty batches in order', () => {
    const scheduler = new TestScheduler(() => undefined);
    const a = batchOf(geometry, [ev(0), ev(1000)]);
    const empty = batchOf(geometry, []);
    const b = batchOf(geometry, [ev(2000), ev(10_000)]);
    const source = concat(of(a, empty), timer(3, scheduler).pipe(map(() => b)));
    expect(paced(source, { tickMs: 0 }, scheduler)).toEqual({
      emitted: [[0, [0]], [1, [1000]], [1, []], [3, [2000]], [10, [10_000]]],
      completedAt: 10,
    });
  });

  it('cancels its timer and the source when unsubscribed early', () => {
    const scheduler = new TestScheduler(() => undefined);
    let tornDown = false;
    const source = new Observable<EventBatch>((subscriber) => {
      subscriber.next(batchOf(geometry, [ev(0), ev(1000), ev(2000)]));
      return () => (tornDown = true);
    });
    const emitted: number[][] = [];
    const subscription = source.pipe(pace({ scheduler, tickMs: 0 })).subscribe((b) => emitted.push(Array.from(b.t)));
    scheduler.schedule(() => subscription.unsubscribe(), 1.5);
    scheduler.flush();
    expect(emitted).toEqual([[0], [1000]]);
    expect(tornDown).toBe(true);
  });

  it('passes a source error on at once, dropping what was queued', () => {
    const scheduler = new TestScheduler(() => undefined);
    const failure = new Error('cable pulled');
    const source = new Observable<EventBatch>((subscriber) => {
      subscriber.next(batchOf(geometry, [ev(0), ev(5000)]));
      subscriber.error(failure);
    });
    const seen: unknown[] = [];
    source.pipe(pace({ scheduler })).subscribe({ next: (b) => seen.push(Array.from(b.t)), error: (e) => seen.push(e) });
    scheduler.flush();
    expect(seen).toEqual([[0], failure]);
  });
});

describe('pacedBatches', () => {
  it('pulls the next batch only when the previous one was released', async () => {
    let clock = 0;
    const log: string[] = [];
    async function* source() {
      log.push('pull 1');
      yield batchOf(geometry, [ev(100), ev(2100)]);
      log.push('pull 2');
      yield batchOf(geometry, [ev(3100)]);
    }
    const options = {
      now: () => clock,
      sleep: async (ms: number) => {
        log.push(`sleep ${ms}`);
        clock += ms;
      },
    };
    for await (const b of pacedBatches(source(), options)) log.push(`at ${clock}: ${Array.from(b.t).join(',')}`);
    expect(log).toEqual(['pull 1', 'at 0: 100', 'sleep 2', 'at 2: 2100', 'pull 2', 'sleep 1', 'at 3: 3100']);
  });
});

describe.skipIf(!ncarsPath)(`pace on the NCARS recording${ncarsPath ? '' : ` (${NO_NCARS})`}`, () => {
  it('replays 100 ms at 10× in 10 virtual ms, every event within tickMs after its due time', () => {
    const events = readNcars();
    const scheduler = new TestScheduler(() => undefined);
    const out: EventBatch[] = [];
    const times: number[] = [];
    of(...chunks(events, 500))
      .pipe(pace({ speed: 10, tickMs: 1, scheduler }))
      .subscribe((b) => {
        out.push(b);
        times.push(scheduler.now());
      });
    scheduler.flush();
    expect(rowsOf(joined(out, events))).toEqual(rowsOf(events));
    // t0 = 0 µs; 10 000 µs of recording per ms at 10×. Lateness of each event behind its due time, in ms:
    let earliest = Infinity;
    let latest = -Infinity;
    out.forEach((b, k) => {
      for (const t of b.t) {
        earliest = Math.min(earliest, times[k] - t / 10_000);
        latest = Math.max(latest, times[k] - t / 10_000);
      }
    });
    expect(earliest).toBeGreaterThanOrEqual(-1e-9);
    expect(latest).toBeLessThan(1);
    expect(times.at(-1)).toBe(10); // the last event is due at 9.9937 ms; wake-ups are 1 ms apart
    expect(new Set(times).size).toBeLessThanOrEqual(11); // wake-ups at most once per ms tick (+ the first)
  });
});
