import { firstValueFrom, from, Observable, Subject, throwError, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { encode } from '../../src/encoding/encode.ts';
import { encodeEvents } from '../../src/encoding/encodeEvents.ts';
import { cellGrid } from '../../src/encoding/encoderOptions.ts';
import { makeBatch, type EventBatch } from '../../src/events/eventBatch.ts';
import { ConfigError } from '../../src/errors.ts';

function batch(rows: [number, number, number, number][], width = 10, height = 7): EventBatch {
  return makeBatch(
    { width, height },
    Float64Array.from(rows.map((r) => r[0])),
    Uint16Array.from(rows.map((r) => r[1])),
    Uint16Array.from(rows.map((r) => r[2])),
    Uint8Array.from(rows.map((r) => r[3])),
  );
}

describe('cellGrid', () => {
  it('rounds the pooled grid up and counts polarity channels', () => {
    expect(cellGrid({ width: 10, height: 7 }, { pool: 4, polarity: 'separate' })).toEqual({ width: 3, height: 2, channels: 2, pool: 4 });
    expect(cellGrid({ width: 10, height: 7 }, { pool: 1, polarity: 'merged' })).toEqual({ width: 10, height: 7, channels: 1, pool: 1 });
  });
  it('rejects a pool that is not a positive integer', () => {
    expect(() => cellGrid({ width: 10, height: 7 }, { pool: 0, polarity: 'merged' })).toThrow(ConfigError);
    expect(() => cellGrid({ width: 10, height: 7 }, { pool: 1.5, polarity: 'merged' })).toThrow(/encoder.pool: 1.5/);
  });
});

describe('encodeEvents', () => {
  it('maps pixels to (c*H+y)*W+x on the pooled grid, OFF in channel 0 and ON in channel 1', () => {
    const events = batch([[5, 9, 6, 1], [5, 0, 0, 0], [7, 4, 3, 1], [8, 3, 4, 0]]);
    const grid = cellGrid(events, { pool: 4, polarity: 'separate' }); // 3 × 2 × 2
    const { t, neuron } = encodeEvents(events, 0, events.length, grid);
    // (9,6) ON → cell (2,1), c=1: (1*2+1)*3+2 = 11; (0,0) OFF → 0; (4,3) ON → cell (1,0): 6+1 = 7; (3,4) OFF → (0,1): 3
    // Spikes of t=5 are sorted by neuron: 0 before 11.
    expect(Array.from(t)).toEqual([5, 5, 7, 8]);
    expect(Array.from(neuron)).toEqual([0, 11, 7, 3]);
  });
  it('puts both polarities in one channel when merged', () => {
    const events = batch([[1, 9, 6, 1], [2, 9, 6, 0]]);
    const { neuron } = encodeEvents(events, 0, 2, cellGrid(events, { pool: 4, polarity: 'merged' }));
    expect(Array.from(neuron)).toEqual([5, 5]);
  });
});

describe('encode operator', () => {
  it('holds back the last timestamp so that until is never broken across batches', async () => {
    const out = await firstValueFrom(
      from([batch([[1, 0, 0, 0], [3, 4, 0, 0]]), batch([[3, 0, 0, 0], [4, 8, 0, 0]]), batch([[4, 0, 0, 1]])]).pipe(
        encode({ pool: 4, polarity: 'merged', population: 'in' }),
        toArray(),
      ),
    );
    expect(out.map((s) => [Array.from(s.t), Array.from(s.neuron), s.until, s.population])).toEqual([
      [[1], [0], 3, 'in'],
      [[3, 3], [0, 1], 4, 'in'],
      [[], [], 4, 'in'],
      [[4, 4], [0, 2], 5, 'in'],
    ]);
    for (const s of out) for (const v of s.t) expect(v).toBeLessThan(s.until);
  });
  it('keeps the SpikeBatch order (t, then neuron) when a timestamp spans batches', async () => {
    const out = await firstValueFrom(
      from([batch([[2, 8, 0, 0]]), batch([[2, 0, 0, 0], [6, 0, 0, 0]])]).pipe(encode({ pool: 4, polarity: 'merged' }), toArray()),
    );
    expect(Array.from(out[1].neuron)).toEqual([0, 2]);
    expect(Array.from(out[1].t)).toEqual([2, 2]);
  });
  it('stops its source when unsubscribed early', () => {
    let torn = false;
    const source = new Observable<EventBatch>((sub) => {
      sub.next(batch([[1, 0, 0, 0], [2, 0, 0, 0]]));
      return () => {
        torn = true;
      };
    });
    const seen: number[] = [];
    const subscription = source.pipe(encode()).subscribe((s) => seen.push(s.length));
    subscription.unsubscribe();
    expect(seen).toEqual([1]);
    expect(torn).toBe(true);
  });
  it('passes errors on, and reports a bad pool as a ConfigError', async () => {
    await expect(firstValueFrom(throwError(() => new Error('boom')).pipe(encode()))).rejects.toThrow('boom');
    const subject = new Subject<EventBatch>();
    const result = firstValueFrom(subject.pipe(encode({ pool: -1 })));
    subject.next(batch([[1, 0, 0, 0]]));
    await expect(result).rejects.toThrow(ConfigError);
  });
});
