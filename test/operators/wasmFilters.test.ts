import { afterEach, describe, expect, it } from 'vitest';
import type { EventBatch } from '../../src/events/eventBatch.ts';
import { backgroundActivityKernel, createBackgroundActivityState } from '../../src/operators/kernels/backgroundActivity.ts';
import { createRefractoryState, refractoryKernel } from '../../src/operators/kernels/refractory.ts';
import { SPAN } from '../../src/operators/kernels/relativeTimes.ts';
import { useWasmFilters } from '../../src/operators/kernels/wasmFilters.ts';
import { backgroundActivity } from '../../src/operators/backgroundActivity.ts';
import { refractory } from '../../src/operators/refractory.ts';
import { expectCommittedWasm, hasWasmToolchain } from '../helpers/wasmRebuild.ts';
import { batchOf, chunks, joined, rowsOf, run, type Row } from './batches.ts';
import { referenceBackgroundActivity, referenceRefractory } from './reference.ts';

/*
 * The WebAssembly loops (native/filters/filters.c) take up to 65 536 events per call (background activity copies
 * a batch that fits straight out of the instance, a longer one through a staging buffer) and stop at the first
 * time the relative map cannot hold. This stream is longer than a call, crosses 2^29 µs jumps (rebases) at a
 * call boundary and inside calls, mixes noise with dense bursts (so support and refractoriness go both ways),
 * and ends with fractional times (the switch to absolute times in the middle of a call). Both paths must give
 * the plain rule's events, for every batching.
 */

const geometry = { width: 37, height: 23 };
const CALL = 65_536;
const PERIOD = 3000;

function stream(seed: number, n: number): Row[] {
  let state = seed >>> 0;
  const random = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const rows: Row[] = [];
  let t = 1_700_000_000_000_000;
  let x = 0;
  let y = 0;
  for (let i = 0; i < n; i++) {
    if (i === 20_000 || i === CALL) t += SPAN + 17; // a rebase inside a call, one at a call boundary
    if (i >= CALL + 9_000) t += 0.25; // fractional from here on: absolute times
    t += Math.floor(random() * random() * 12);
    if (random() < 0.3) {
      x = Math.floor(random() * geometry.width); // noise anywhere, borders included
      y = Math.floor(random() * geometry.height);
    } else {
      x = Math.min(geometry.width - 1, Math.max(0, x + Math.floor(random() * 3) - 1)); // a wandering burst
      y = Math.min(geometry.height - 1, Math.max(0, y + Math.floor(random() * 3) - 1));
    }
    rows.push([t, x, y, random() < 0.5 ? 1 : 0]);
  }
  return rows;
}

const rows = stream(42, CALL + 14_000);
const input = batchOf(geometry, rows);

function filtered(wasm: boolean, size: number, make: () => (batch: EventBatch) => EventBatch): Row[] {
  useWasmFilters(wasm);
  const filter = make();
  return rowsOf(joined(chunks(input, size).map(filter), geometry));
}

afterEach(() => useWasmFilters(undefined));

describe.each([
  ['WebAssembly', true],
  ['JavaScript', false],
])('%s loops over chunks, rebases and a switch to absolute times', (_, wasm) => {
  it.each([false, true])('background activity (includeSelf %s) equals the plain rule', (includeSelf) => {
    const expected = referenceBackgroundActivity(rows, geometry.width, geometry.height, 6, includeSelf);
    expect(expected.length).toBeGreaterThan(rows.length * 0.3);
    expect(expected.length).toBeLessThan(rows.length * 0.9);
    for (const size of [rows.length, CALL, 7_000, 999]) {
      const out = filtered(wasm, size, () => {
        const state = createBackgroundActivityState(geometry);
        expect(state.wasm !== undefined).toBe(wasm);
        return (b) => backgroundActivityKernel(b, state, { windowUs: 6, includeSelf });
      });
      expect(out).toEqual(expected);
    }
  });

  it.each([false, true])('refractory (perPolarity %s) equals the plain rule', (perPolarity) => {
    const expected = referenceRefractory(rows, PERIOD, perPolarity);
    expect(expected.length).toBeGreaterThan(rows.length * 0.2);
    expect(expected.length).toBeLessThan(rows.length * 0.8);
    for (const size of [rows.length, CALL, 7_000, 999]) {
      const out = filtered(wasm, size, () => {
        const state = createRefractoryState(geometry, perPolarity);
        expect(state.wasm !== undefined).toBe(wasm);
        return (b) => refractoryKernel(b, state, { periodUs: PERIOD, perPolarity });
      });
      expect(out).toEqual(expected);
    }
  });
});

/*
 * A subscription's instance goes back to a pool when it ends (its memory is paged in: fresh pages cost ~10 µs
 * each on a VM), and the next subscription reuses it with its map cleared: runs one after the other in one
 * process must each give the plain rule's events, not remember the previous run's last times.
 */
describe('WebAssembly instances reused across subscriptions', () => {
  it('a released instance serves the next state', () => {
    useWasmFilters(true);
    const first = createRefractoryState(geometry, false);
    first.wasm!.release();
    const second = createRefractoryState(geometry, true);
    expect(second.wasm!.map.buffer).toBe(first.wasm!.map.buffer);
    second.wasm!.release();
  });

  it('runs one after the other equal the plain rule every time', async () => {
    useWasmFilters(true);
    const batches = chunks(input, 7_000);
    const expectedRefractory = referenceRefractory(rows, PERIOD, false);
    const expectedSupport = referenceBackgroundActivity(rows, geometry.width, geometry.height, 6, false);
    for (let r = 0; r < 3; r++) {
      const kept = await run(batches, refractory({ periodUs: PERIOD }));
      expect(rowsOf(joined(kept, geometry))).toEqual(expectedRefractory);
      const supported = await run(batches, backgroundActivity({ windowUs: 6 }));
      expect(rowsOf(joined(supported, geometry))).toEqual(expectedSupport);
    }
  });
});

describe('committed filters.wasm', () => {
  const hasToolchain = hasWasmToolchain;
  it.skipIf(!hasToolchain)('is what native/filters/build.sh builds (clang + wasm-ld)', () => {
    expectCommittedWasm('filters', 'src/operators/kernels/filters.wasm');
  });
  it.skipIf(hasToolchain)('rebuild check skipped: clang and wasm-ld (Debian: clang lld) are not installed', () => undefined);
});
