import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../src/video/random.ts';
import { TimeSorter } from '../../src/video/sortByTime.ts';

describe('TimeSorter', () => {
  for (const maxKey of [0, 1, 2047, 2048, 33_333, 4_000_000, 0xffffffff]) {
    it(`sorts stably for keys up to ${maxKey}`, () => {
      const random = new SeededRandom(maxKey % 1000);
      const n = 5000;
      const keys = new Uint32Array(n);
      // Few distinct values so that ties are common, plus the extremes.
      for (let j = 0; j < n; j++) keys[j] = j % 3 === 0 ? Math.floor(random.next() * 50) * Math.floor(maxKey / 50) : Math.floor(random.next() * (maxKey + 1));
      keys[7] = maxKey;
      keys[8] = 0;
      const expected = Array.from({ length: n }, (_, j) => j).sort((a, b) => keys[a] - keys[b] || a - b);
      const sorter = new TimeSorter();
      expect(Array.from(sorter.sort(keys, n, maxKey).subarray(0, n))).toEqual(expected);
      // The sorter is reused: a second, smaller call gives a correct prefix too.
      expect(Array.from(sorter.sort(keys, 10, maxKey).subarray(0, 10))).toEqual(expected.filter((j) => j < 10));
    });
  }
});
