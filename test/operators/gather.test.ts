import { describe, expect, it } from 'vitest';
import { gather } from '../../src/operators/kernels/gather.ts';
import { batchOf, rowsOf, snapshot, type Row } from './batches.ts';

const rows: Row[] = Array.from({ length: 12 }, (_, i) => [i * 10, i, 11 - i, i % 2]);
const input = batchOf({ width: 12, height: 12 }, rows);

describe('gather', () => {
  it.each([
    ['few kept (element by element)', [0, 5, 11]],
    ['most kept (slice, then close gaps)', [1, 2, 3, 5, 6, 7, 8, 9, 10]],
    ['most kept, first ones in place', [0, 1, 2, 4, 5, 6, 7, 8, 9, 11]],
    ['all kept', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]],
    ['none kept', []],
  ])('%s', (_, kept) => {
    const before = snapshot(input);
    const out = gather(input, Uint32Array.from(kept), kept.length);
    expect(rowsOf(out)).toEqual(kept.map((i) => rows[i]));
    expect(out.length).toBe(kept.length);
    expect(out.t.length).toBe(kept.length);
    expect(out.t.buffer).not.toBe(input.t.buffer);
    expect(snapshot(input)).toEqual(before);
  });
});
