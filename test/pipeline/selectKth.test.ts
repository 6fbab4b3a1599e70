import { describe, expect, it } from 'vitest';
import { selectKth } from '../../src/readout/renderGrid.ts';

describe('selectKth (the spike maps’ 98th percentile)', () => {
  it('returns what a full sort puts at index k: random, constant, sorted, reversed and few-distinct inputs', () => {
    let seed = 3;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const inputs: Float32Array[] = [
      Float32Array.from({ length: 5000 }, () => random() * 100),
      new Float32Array(777).fill(2.5),
      Float32Array.from({ length: 1000 }, (_, i) => i),
      Float32Array.from({ length: 1000 }, (_, i) => 1000 - i),
      Float32Array.from({ length: 3001 }, () => 1 + Math.floor(random() * 4)),
      Float32Array.from([7]),
      Float32Array.from([3, 1]),
    ];
    for (const input of inputs) {
      const sorted = input.slice().sort();
      for (const k of [0, 1, Math.floor(0.5 * input.length), Math.floor(0.98 * input.length), input.length - 1]) {
        if (k >= input.length) continue;
        expect(selectKth(input.slice(), k), `n=${input.length} k=${k}`).toBe(sorted[k]);
      }
    }
  });
});
