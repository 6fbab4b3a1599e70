import { describe, expect, it } from 'vitest';
import { ActivityTrace } from '../../src/readout/activityTrace.ts';

/** The definition the trace's decay table must reproduce exactly: one Math.exp per gap, as before the table. */
function referenceTrace(size: number, tauUs: number, t: Float64Array, neuron: Uint32Array, at: number): { state: Float64Array; at: Float64Array } {
  const value = new Float64Array(size);
  const lastT = new Float64Array(size);
  for (let i = 0; i < t.length; i++) {
    const n = neuron[i];
    if (value[n] !== 0) value[n] *= Math.exp(-(t[i] - lastT[n]) / tauUs);
    value[n] += 1;
    lastT[n] = t[i];
  }
  return { state: value, at: value.map((v, n) => (v === 0 ? 0 : v * Math.exp(-(at - lastT[n]) / tauUs))) };
}

describe('ActivityTrace (decay table)', () => {
  it('equals Math.exp decay bit for bit: integer gaps, gaps beyond the table, fractional gaps', () => {
    const size = 64;
    const tau = 20_000;
    const n = 5000;
    const t = new Float64Array(n);
    const neuron = new Uint32Array(n);
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    let now = 1_000_000;
    for (let i = 0; i < n; i++) {
      // Mostly short gaps, some longer than the table (65,536 µs), a few fractional.
      const r = random();
      now += r < 0.002 ? 200_000 : r < 0.02 ? 0.5 : Math.floor(random() * 300);
      t[i] = now;
      neuron[i] = Math.floor(random() * size);
    }
    const trace = new ActivityTrace(size, tau);
    trace.add(t, neuron, 0, n);
    const at = now + 1234;
    const got = trace.snapshot(at, new Float32Array(size));
    const want = referenceTrace(size, tau, t, neuron, at);
    expect(Array.from(got)).toEqual(Array.from(Float32Array.from(want.at)));
    expect(got.some((v) => v > 1)).toBe(true);
    // The Float64 state itself, bit for bit (the Float32 snapshot would hide a last-bit difference).
    expect(Array.from(trace.value)).toEqual(Array.from(want.state));
    expect(Array.from(trace.value).filter((v) => v !== 0).length).toBeGreaterThan(size / 2);
  });

  it('counts without decay when tau is Infinity, and reset clears', () => {
    const trace = new ActivityTrace(4, Infinity);
    trace.add(Float64Array.from([1, 5, 9, 9]), Uint32Array.from([1, 1, 3, 7]), 0, 4);
    expect(Array.from(trace.snapshot(100, new Float32Array(4)))).toEqual([0, 2, 0, 1]);
    trace.reset();
    expect(Array.from(trace.snapshot(100, new Float32Array(4)))).toEqual([0, 0, 0, 0]);
  });
});
