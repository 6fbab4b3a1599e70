import { describe, expect, it } from 'vitest';
import { mirrored, shiftedRight } from '../../src/operators/kernels/coordinatePairs.ts';

// Every length from 0 to 9 and every start (aligned word, half word): the pair loop, the plain tail and the
// plain loop for views that do not start on a 4-byte boundary.
function views(last: number): Uint16Array[] {
  const backing = Uint16Array.from({ length: 24 }, (_, i) => (i * 7919 + 13) % (last + 1));
  backing[3] = last; // the extremes, in both halves of a word
  backing[4] = 0;
  const out: Uint16Array[] = [];
  for (let start = 0; start < 3; start++) for (let length = 0; length < 10; length++) out.push(backing.subarray(start, start + length));
  return out;
}

describe('coordinate pairs', () => {
  it.each([0, 1, 639, 1279, 65535])('mirrors every value v to last - v (last = %i)', (last) => {
    for (const values of views(last)) {
      const out = mirrored(values, last);
      expect(Array.from(out)).toEqual(Array.from(values, (v) => last - v));
      expect(out.byteOffset).toBe(0);
      expect(out.buffer).not.toBe(values.buffer);
    }
  });

  it.each([0, 1, 2, 5, 15, 16])('shifts every value right by %i bits', (shift) => {
    for (const values of views(65535)) {
      expect(Array.from(shiftedRight(values, shift))).toEqual(Array.from(values, (v) => v >>> shift));
    }
  });
});
