import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backgroundActivity } from '../../src/operators/backgroundActivity.ts';
import { backgroundActivityKernel, createBackgroundActivityState } from '../../src/operators/kernels/backgroundActivity.ts';
import { createRefractoryState, refractoryKernel } from '../../src/operators/kernels/refractory.ts';
import { SPAN } from '../../src/operators/kernels/relativeTimes.ts';
import { useWasmFilters } from '../../src/operators/kernels/wasmFilters.ts';
import { refractory } from '../../src/operators/refractory.ts';
import type { EventBatch } from '../../src/events/eventBatch.ts';
import { batchOf, chunks, joined, rowsOf, run, snapshot, type Row } from './batches.ts';
import { referenceBackgroundActivity, referenceRefractory } from './reference.ts';

/*
 * The background-activity and refractory kernels hold last times as 32-bit integers relative to a base that moves
 * forward (see src/operators/kernels/relativeTimes.ts) and switch to absolute doubles for fractional times. These
 * tests prove that both stay exactly equal to the plain rules (reference.ts, Maps of doubles) for any time range:
 * epoch-scale times, jumps just below, at and past the 2^29 µs span, windows at and past the span, fractional
 * times and bounds, a step back in time, and every batching. Everything runs on both relative loops: the
 * WebAssembly one (wasmFilters.ts, the default) and the JavaScript one (SPIKEFLOW_NO_WASM=1).
 */

const geometry = { width: 5, height: 4 };
const EPOCH = 1_700_000_000_123_456; // µs since 1970: far beyond 32 bits
const JUMPS = [SPAN - 7, SPAN, SPAN + 3, 2 * SPAN + 11, 5_000_000_000, SPAN - 1, 1, SPAN + 1];

/** A seeded stream: mostly bursts a few µs apart (so neighbours support), with the given rare jumps. */
function stream(seed: number, n: number, start: number, jumps: readonly number[], jumpEvery = 40): Row[] {
  let state = seed >>> 0;
  const random = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const rows: Row[] = [];
  let t = start;
  for (let i = 0; i < n; i++) {
    if (i > 0) t += i % jumpEvery === 0 ? jumps[(i / jumpEvery) % jumps.length] : Math.floor(random() * random() * 40);
    const x = Math.floor(random() * geometry.width);
    const y = Math.floor(random() * geometry.height);
    rows.push([t, x, y, random() < 0.5 ? 1 : 0]);
  }
  return rows;
}

const BATCHINGS = [1, 3, 64, 100_000];

describe.each([
  ['WebAssembly', true],
  ['JavaScript', false],
])('%s relative loops', (_, wasm) => {
  beforeAll(() => useWasmFilters(wasm));
  afterAll(() => useWasmFilters(undefined));

  it('are the ones the filter states use', () => {
    expect(createBackgroundActivityState(geometry).wasm !== undefined).toBe(wasm);
    expect(createRefractoryState(geometry, true).wasm !== undefined).toBe(wasm);
  });

  describe('background activity with 32-bit relative times equals the plain rule', () => {
    const cases: [string, Row[], number, boolean][] = [
      ['epoch-scale times with jumps around 2^29 µs', stream(1, 2000, EPOCH, JUMPS), 20, false],
      ['the same with includeSelf', stream(2, 2000, EPOCH, JUMPS), 20, true],
      ['a window of exactly 2^29 µs (the longest the relative map takes)', stream(3, 1500, 0, JUMPS, 7), SPAN, false],
      ['a window past 2^29 µs (absolute times from the start)', stream(4, 1500, 7, JUMPS, 7), SPAN + 0.5, false],
      ['a fractional window', stream(5, 2000, 123, JUMPS), 20.5, false],
      ['fractional times (absolute from the start)', stream(6, 2000, 0.5, JUMPS), 20, false],
      ['a fractional time in the middle', withTime(stream(7, 2000, EPOCH, JUMPS), 1001, 0.25), 20, true],
      ['a step back in time in the middle', withTime(stream(8, 2000, 1e12, JUMPS), 1001, -150), 20, false],
    ];
    it.each(cases)('%s', async (_, rows, windowUs, includeSelf) => {
      const expected = referenceBackgroundActivity(rows, geometry.width, geometry.height, windowUs, includeSelf);
      expect(expected.length).toBeGreaterThan(rows.length / 10);
      expect(expected.length).toBeLessThan(rows.length);
      for (const size of BATCHINGS) {
        const out = await run(chunks(batchOf(geometry, rows), size), backgroundActivity({ windowUs, includeSelf }));
        expect(rowsOf(joined(out, geometry))).toEqual(expected);
      }
    });

    it('keeps a neighbour event from just before a rebase (and the map really was rebased)', () => {
      const T = EPOCH;
      const rows: Row[] = [
        [T, 0, 0, 1], // nothing before: dropped
        [T + SPAN - 2, 1, 0, 1], // (0,0) fired SPAN - 2 µs before: dropped
        [T + SPAN + 3, 0, 0, 1], // SPAN + 3 past the base: rebase here; (1,0) fired 5 µs before: kept
        [T + SPAN + 12, 2, 0, 1], // (1,0) 14 µs before: dropped
        [T + SPAN + 13, 1, 0, 0], // (0,0) exactly 10 µs before (not within); (2,0) 1 µs before: kept
      ];
      const state = createBackgroundActivityState({ width: 3, height: 1 });
      const out = backgroundActivityKernel(batchOf({ width: 3, height: 1 }, rows), state, { windowUs: 10, includeSelf: false });
      expect(rowsOf(out)).toEqual([rows[2], rows[4]]);
      expect(state.times.base).toBe(T + SPAN + 3);
      expect(state.times.relative).toBeDefined();
    });

    it('switches to absolute times for good at the first fractional time', () => {
      const state = createBackgroundActivityState(geometry);
      const params = { windowUs: 20, includeSelf: false };
      backgroundActivityKernel(batchOf(geometry, stream(9, 100, EPOCH, [1])), state, params);
      expect(state.times.relative).toBeDefined();
      backgroundActivityKernel(batchOf(geometry, [[EPOCH + 5000.5, 1, 1, 1]]), state, params);
      expect(state.times.relative).toBeUndefined();
      expect(state.times.absolute).toBeInstanceOf(Float64Array);
    });
  });

  describe('refractory with 32-bit relative times equals the plain rule', () => {
    const cases: [string, Row[], number, boolean][] = [
      ['epoch-scale times with jumps around 2^29 µs', stream(11, 2000, EPOCH, JUMPS), 15, false],
      ['the same per polarity', stream(12, 2000, EPOCH, JUMPS), 15, true],
      ['a period of exactly 2^29 µs', stream(13, 1500, 0, JUMPS, 7), SPAN, false],
      ['a period past 2^29 µs (absolute times from the start)', stream(14, 1500, 3, JUMPS, 7), SPAN + 1, true],
      ['a fractional period', stream(15, 2000, 99, JUMPS), 15.5, false],
      ['fractional times (absolute from the start)', stream(16, 2000, 0.75, JUMPS), 15, true],
      ['a fractional time in the middle', withTime(stream(17, 2000, EPOCH, JUMPS), 1001, 0.5), 15, false],
      ['a step back in time in the middle', withTime(stream(18, 2000, 1e12, JUMPS), 1001, -150), 15, true],
    ];
    it.each(cases)('%s', async (_, rows, periodUs, perPolarity) => {
      const expected = referenceRefractory(rows, periodUs, perPolarity);
      expect(expected.length).toBeGreaterThan(rows.length / 10);
      expect(expected.length).toBeLessThan(rows.length);
      for (const size of BATCHINGS) {
        const out = await run(chunks(batchOf(geometry, rows), size), refractory({ periodUs, perPolarity }));
        expect(rowsOf(joined(out, geometry))).toEqual(expected);
      }
    });

    it('restarts the period across a rebase, whether the old time survives the shift or is clamped', () => {
      const T = EPOCH;
      const rows: Row[] = [
        [T, 0, 0, 1], // first: kept
        [T + SPAN - 1, 0, 0, 1], // kept
        [T + SPAN + 4, 0, 0, 1], // rebase here; 5 µs after the previous one: dropped
        [T + SPAN + 14, 0, 0, 1], // exactly 10 µs after: kept
        [T + 3 * SPAN, 0, 0, 0], // rebase again; the old time is clamped to "never": kept
        [T + 3 * SPAN + 9, 0, 0, 1], // 9 µs after: dropped
      ];
      const state = createRefractoryState({ width: 1, height: 1 }, false);
      const out = refractoryKernel(batchOf({ width: 1, height: 1 }, rows), state, { periodUs: 10, perPolarity: false });
      expect(rowsOf(out)).toEqual([rows[0], rows[1], rows[3], rows[4]]);
      expect(state.times.base).toBe(T + 3 * SPAN);
    });
  });

  describe('output of the filters', () => {
    const rows: Row[] = Array.from({ length: 400 }, (_, i) => [i, i % 20, Math.floor(i / 20), i % 2]);
    const big = { width: 20, height: 20 };

    it('is never written again once handed downstream, and never shares memory with the input', () => {
      // Events sweep rows 1 µs apart: background activity keeps all but the first of each row (190 of 200, enough
      // to hand the buffer it wrote them into downstream as views); refractory (all pixels new) gathers all 200.
      const ba = createBackgroundActivityState(big);
      const rf = createRefractoryState(big, false);
      const filters: [(b: EventBatch) => EventBatch, number][] = [
        [(b) => backgroundActivityKernel(b, ba, { windowUs: 5, includeSelf: false }), 190],
        [(b) => refractoryKernel(b, rf, { periodUs: 1, perPolarity: false }), 200],
      ];
      for (const [filter, kept] of filters) {
        const input = batchOf(big, rows.slice(0, 200));
        const first = filter(input);
        expect(first.length).toBe(kept);
        const before = snapshot(first);
        const second = filter(batchOf(big, rows.slice(200)));
        expect(second.length).toBe(kept);
        expect(snapshot(first)).toEqual(before);
        expect(second.t.buffer).not.toBe(first.t.buffer);
        expect(first.t.buffer).not.toBe(input.t.buffer);
      }
    });

    it('is copied into arrays of exact size when few events are kept', () => {
      const state = createRefractoryState(big, false);
      const params = { periodUs: 1000, perPolarity: false };
      refractoryKernel(batchOf(big, rows.slice(0, 400)), state, params);
      const again = rows.map(([t, x, y, p]): Row => [t + 500, x, y, p]);
      again[399] = [2000, 19, 19, 1]; // 1601 µs after its pixel's last event: the only one kept
      const out = refractoryKernel(batchOf(big, again), state, params);
      expect(rowsOf(out)).toEqual([again[399]]);
      expect(out.t.buffer.byteLength).toBe(15); // t, x, y and p of one event in one exact allocation
    });
  });
});

/** `rows` with the time of event `at` (and all later ones) shifted by `delta`, keeping later gaps. */
function withTime(rows: Row[], at: number, delta: number): Row[] {
  return rows.map(([t, x, y, p], i): Row => [i >= at ? t + delta : t, x, y, p]);
}
