import { Observable, take, type OperatorFunction } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.ts';
import type { EventBatch } from '../../src/events/eventBatch.ts';
import { createFilter, filterNames } from '../../src/operators/registry.ts';
import { batchOf, rowsOf, run } from './batches.ts';

/**
 * Every filter, through the registry: a synchronous source must stop as soon as the consumer unsubscribes
 * (teardown runs, no more batches are produced), a source error must reach the consumer unchanged, and a
 * bad option must be a ConfigError naming the key path.
 */
const cases: Record<string, { good: Record<string, unknown>; bad: Record<string, unknown>; badKey: string }> = {
  backgroundActivity: { good: { windowUs: 1_000_000 }, bad: { windowUs: -1 }, badKey: 'windowUs' },
  refractory: { good: { periodUs: 1 }, bad: { periodUs: 'fast' }, badKey: 'periodUs' },
  hotPixel: { good: { pixels: [[0, 0]] }, bad: { pixels: [[1]] }, badKey: 'pixels[0]' },
  crop: { good: { width: 8, height: 8 }, bad: { width: 0, height: 8 }, badKey: 'width' },
  mask: { good: { width: 8, height: 8 }, bad: { width: 8, height: 8, outside: 'yes' }, badKey: 'outside' },
  selectPolarity: { good: { keep: 'on' }, bad: { keep: 'both' }, badKey: 'keep' },
  mergePolarity: { good: {}, bad: { to: 1 }, badKey: 'to' },
  invertPolarity: { good: {}, bad: { all: true }, badKey: 'all' },
  flip: { good: { axis: 'x' }, bad: { axis: 'z' }, badKey: 'axis' },
  rotate: { good: { degrees: 90 }, bad: { degrees: 45 }, badKey: 'degrees' },
  transpose: { good: {}, bad: { axis: 'x' }, badKey: 'axis' },
  downsample: { good: { factor: 2 }, bad: { factor: 1.5 }, badKey: 'factor' },
  timeWindow: { good: { windowUs: 1 }, bad: { windowUs: 0 }, badKey: 'windowUs' },
  countWindow: { good: { count: 1 }, bad: { count: -3 }, badKey: 'count' },
  pace: { good: { speed: 1e9, tickMs: 0 }, bad: { speed: 0 }, badKey: 'speed' },
};

/** Batch k holds one event per pixel of an 8×8 sensor at t = 10·k (all ON). */
function batchNumber(k: number): EventBatch {
  const rows: [number, number, number, number][] = [];
  for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) rows.push([10 * k, x, y, 1]);
  return batchOf({ width: 8, height: 8 }, rows);
}

function endlessSource(log: { produced: number; tornDown: boolean }): Observable<EventBatch> {
  return new Observable<EventBatch>((subscriber) => {
    for (let k = 0; k < 10_000 && !subscriber.closed; k++) {
      log.produced++;
      subscriber.next(batchNumber(k));
    }
    return () => {
      log.tornDown = true;
    };
  });
}

describe('operator lifecycle', () => {
  it('covers every registered filter', () => {
    expect([...filterNames].sort()).toEqual(Object.keys(cases).sort());
  });

  describe.each(Object.entries(cases))('%s', (name, { good, bad, badKey }) => {
    const operator = (): OperatorFunction<EventBatch, EventBatch> => createFilter(name, good, `filters[3]`);

    it('stops a synchronous source when the consumer unsubscribes early', async () => {
      const log = { produced: 0, tornDown: false };
      const received: EventBatch[] = [];
      await new Promise<void>((resolve, reject) => {
        endlessSource(log)
          .pipe(operator(), take(1))
          .subscribe({ next: (b) => received.push(b), error: reject, complete: resolve });
      });
      expect(received).toHaveLength(1);
      expect(log.tornDown).toBe(true);
      // pace queues what a push source produces (RxJS has no back-pressure); the others stop within 2 batches.
      if (name !== 'pace') expect(log.produced).toBeLessThanOrEqual(2);
    });

    it('passes a source error on', async () => {
      const failure = new Error('disk on fire');
      const source = new Observable<EventBatch>((subscriber) => {
        subscriber.next(batchNumber(0));
        subscriber.error(failure);
      });
      const caught = await new Promise<unknown>((resolve) => {
        source.pipe(operator()).subscribe({ error: resolve, complete: () => resolve('completed') });
      });
      expect(caught).toBe(failure);
    });

    it('refuses a bad option with a ConfigError naming the key path', () => {
      let error: unknown;
      try {
        createFilter(name, bad, 'filters[3]');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).parameter).toBe(`filters[3].${badKey}`);
      expect((error as ConfigError).message).toContain('is not allowed');
    });
  });

  it('builds the same filter as the operator itself', async () => {
    const rows: [number, number, number, number][] = [[0, 1, 1, 1], [3, 1, 1, 0], [12, 1, 1, 1], [13, 2, 1, 1]];
    const input = [batchOf({ width: 4, height: 4 }, rows)];
    const viaRegistry = await run(input, createFilter('refractory', { periodUs: 10 }, 'filters[0]'));
    expect(rowsOf(viaRegistry[0])).toEqual([rows[0], rows[3]]); // t=12 is 9 µs after the dropped t=3
    const windows = await run(input, createFilter('timeWindow', { windowUs: 10 }, 'filters[1]'));
    expect(windows.map((w) => w.length)).toEqual([2, 2]);
  });

  it('refuses an unknown filter name, listing the known ones', () => {
    expect(() => createFilter('denoise', {}, 'filters[0]')).toThrow(
      /filters\[0\]\.type: "denoise" is not allowed \(a filter name: one of backgroundActivity, refractory/,
    );
  });

  it('refuses options that cannot come from a pipeline file', () => {
    expect(() => createFilter('pace', { scheduler: {} }, 'f')).toThrow(ConfigError);
    expect(() => createFilter('hotPixel', { learnUs: 10, onLearned: 'x' }, 'f')).toThrow(/f\.onLearned/);
  });
});
