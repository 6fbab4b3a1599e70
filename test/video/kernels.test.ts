import { describe, expect, it } from 'vitest';
import { linLogTable8 } from '../../src/video/linLog.ts';
import { firstLevelAtLeast, lastLevelAtMost, LevelIndex } from '../../src/video/pixelScan.ts';
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

describe('LevelIndex (inverse of the lin-log table)', () => {
  it('agrees with binary search everywhere, including exact table values and the ends', () => {
    for (const cutoff of [20, 1, 100]) {
      const lut = linLogTable8(cutoff);
      const index = new LevelIndex(lut);
      const random = new SeededRandom(cutoff);
      const probes = [-1, 0, lut[255], lut[255] + 1e-12, 9, ...Array.from(lut), ...Array.from(lut, (v) => v + 1e-9), ...Array.from(lut, (v) => v - 1e-9)];
      for (let k = 0; k < 20_000; k++) probes.push(-0.5 + random.next() * 7);
      let bad = 0;
      for (const x of probes) {
        if (index.atLeast(x) !== firstLevelAtLeast(lut, x)) bad++;
        if (index.atMost(x) !== lastLevelAtMost(lut, x)) bad++;
      }
      expect(bad).toBe(0);
    }
    expect(new LevelIndex(linLogTable8()).atLeast(Math.log(100))).toBe(100);
    expect(new LevelIndex(linLogTable8()).atMost(Math.log(100) - 1e-12)).toBe(99);
  });
});
