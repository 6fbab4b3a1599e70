import { describe, expect, it } from 'vitest';
import { concatBatches, type EventBatch } from '../../src/events/eventBatch.ts';
import { DvsModel } from '../../src/video/dvsModel.ts';
import type { DvsModelOptions } from '../../src/video/dvsModelOptions.ts';
import { linLogTable8 } from '../../src/video/linLog.ts';
import { SeededRandom } from '../../src/video/random.ts';
import { fieldDigests } from '../helpers/digests.ts';

/**
 * Golden digests of the DVS model's output on a seeded busy scene, recorded before the model was optimised: any
 * change to the events (a time, a pixel, a polarity, their order or how they split into batches) changes a digest.
 * The frames come from a self-contained generator here (integer arithmetic and this folder's SeededRandom), so the
 * digests depend on the model alone. Frame intervals vary (zero, short, one long one for a multi-digit time sort).
 */

/** Frame times (µs): 30 fps, then a repeated time, a 1.2 s gap, and an odd interval. */
function frameTime(f: number): number {
  if (f < 20) return Math.round((f * 1e6) / 30);
  if (f === 20) return frameTime(19);
  if (f === 21) return frameTime(19) + 1_200_000;
  return frameTime(21) + (f - 21) * 40_001;
}

/** A textured background with three moving shapes and ±2 levels of sensor noise, bytes 0..255. */
function* busyFrames(width: number, height: number, count: number, seed: number): Generator<Uint8Array> {
  const random = new SeededRandom(seed);
  const cell = 8;
  const cw = Math.ceil(width / cell) + 1;
  const ch = Math.ceil(height / cell) + 1;
  const grid = Array.from({ length: cw * ch }, () => 60 + random.nextInt(80));
  const background = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // Bilinear blend of the cell grid, integer arithmetic only.
      const gx = (x / cell) | 0;
      const gy = (y / cell) | 0;
      const fx = x % cell;
      const fy = y % cell;
      const a = grid[gy * cw + gx] * (cell - fx) + grid[gy * cw + gx + 1] * fx;
      const b = grid[(gy + 1) * cw + gx] * (cell - fx) + grid[(gy + 1) * cw + gx + 1] * fx;
      background[y * width + x] = ((a * (cell - fy) + b * fy) / (cell * cell)) | 0;
    }
  }
  for (let f = 0; f < count; f++) {
    const data = new Uint8Array(width * height);
    const sx = (5 + f * 3) % (width - 12);
    const sy = (4 + f * 2) % (height - 12);
    const dx = width - 10 - ((f * 4) % (width - 10));
    const bx = (f * 5) % width;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let v = background[y * width + x];
        if (x >= sx && x < sx + 12 && y >= sy && y < sy + 12) v = 230;
        const ex = x - dx;
        const ey = y - (height >> 1);
        if (ex * ex + ey * ey < 36) v = 12;
        if (x >= bx && x < bx + 3) v = 200;
        v += random.nextInt(5) - 2;
        data[y * width + x] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
    }
    yield data;
  }
}

/** `shifted`: each frame's bytes start at an odd offset of their buffer (no 32-bit view of the frame). */
function runBytes(width: number, height: number, options: DvsModelOptions, shifted = false, wasm = true): { all: EventBatch; lengths: number[] } {
  const model = new DvsModel(width, height, options, { wasm });
  const parts: EventBatch[] = [];
  let f = 0;
  for (const frame of busyFrames(width, height, 30, 11)) {
    const data = shifted ? new Uint8Array(frame.length + 1).subarray(1) : frame;
    if (shifted) data.set(frame);
    parts.push(model.pushFrame({ data, width, height, t: frameTime(f++) }));
  }
  return { all: concatBatches(parts, { width, height }), lengths: parts.map((b) => b.length) };
}

function runLog(width: number, height: number, options: DvsModelOptions): { all: EventBatch; lengths: number[] } {
  const model = new DvsModel(width, height, options);
  const lut = linLogTable8();
  const parts: EventBatch[] = [];
  let f = 0;
  for (const data of busyFrames(width, height, 30, 12)) {
    parts.push(model.pushLog(Array.from(data, (v) => lut[v]), frameTime(f++)));
  }
  return { all: concatBatches(parts, { width, height }), lengths: parts.map((b) => b.length) };
}

function summary(run: { all: EventBatch; lengths: number[] }): Record<string, unknown> {
  let lengthSum = 0;
  for (let k = 0; k < run.lengths.length; k++) lengthSum = (Math.imul(lengthSum, 31) + run.lengths[k]) >>> 0;
  return { events: run.all.length, lengthHash: lengthSum, ...fieldDigests(run.all) };
}

// Recorded with the model as of commit 81fd57b (before the speed work); they must never change.
const GOLDEN: Record<string, Record<string, unknown>> = {
  'clean 160x120 (byte fast path)': {
    events: 107546,
    lengthHash: 3124552816,
    t: 'b1f6baa323a5f4ed5e786bc23fea7ee3e01a75ddff41e314aea24974',
    x: '98d4f677432945f7d38af88f01afda4578456349c792642c0f663325',
    y: '869cc4158de6e074e59073bc66636898f24ff29a23e34761730d0b67',
    on: '4a6398f2bebe7c095b17815ef45e700a70a81a9b5779aa0604972edd',
  },
  'clean 97x61 (odd size: unaligned tail)': {
    events: 80538,
    lengthHash: 2087695198,
    t: 'e2da770569b1d00a38550f885c6fec75796dccdce437631163d6e9b8',
    x: '68244830adfba13fa25869906b50cb281451054f48c3506fe6dc41f5',
    y: '34289153f5dd26711489636411b0a68d2c19f3a54c6dd80f05c4c2c3',
    on: 'dcaf940c22e9a9619f1ffc23fd9fc7d48f84c28272f9dd428a6b9998',
  },
  'noisy 160x120 (filter, leak, shot noise, refractory)': {
    events: 124234,
    lengthHash: 2289564464,
    t: 'f34c1535801cb10a3ad805857e6f1e88621577b84ceb9fa2cd23d9a8',
    x: '844221fac1fa49422153784f8b6e06605ec3fb87c2ff0fbcad9ad1b2',
    y: '151f3acf982442c72373afc682e59192a70b33f4a2bf80e4e5871fb1',
    on: 'becf2c5c386b658df1bfc657d2243b134732d9be79fc2f358deb5a8e',
  },
  'clean + refractory 400 µs 160x120 (general path)': {
    events: 105739,
    lengthHash: 438892161,
    t: '5b8be8bf4d2a20d30f7f807d532ce95c17fb958e19cee457c076b658',
    x: '790aa01219bd5157f1c9d4714af9992a5ab549fe452d50ce87f526c9',
    y: '7466a1deb5101ab2db3ee81b377ed7d38472939a0cc5d6b2405b5a8a',
    on: '75d05d8eb5eefa88fa2030af60682752bf1796fb9d376fc27dfd1514',
  },
  'leak + shot noise, no filter, 97x61': {
    events: 176204,
    lengthHash: 3783313976,
    t: '81221759cbe27247585c79e54b9b650889c058e19024225f4a74da78',
    x: '39dcd06a3d5d3bc3a9a18a462e61ed456cd2d1cffcb913d4a832ae87',
    y: 'e4d8dea2831927fb7f02a4684d652499abc4acefcd31410b3e55e189',
    on: '0040e7501ac941399901c2f9708fc4640b1909b8fddd726d3fd04b5f',
  },
  'log input, noisy, 97x61': {
    events: 82656,
    lengthHash: 1641886498,
    t: 'a361fd60ba078f88a15853a5e546dd5dc786a4b306e8a08477ef76e0',
    x: '044ee677f44f67d19f7c0eb8bcdb42412cec8d05a84d07d5a5c140e9',
    y: '0ae678a14ed3942ffb8557f45c29c91307287b41a074f5aa938432b7',
    on: 'ad9a6aa238fde549a85c72f00066006d067fde36da45716b08a1bdaf',
  },
};

/**
 * Variants that must give the same events as the case they are named after: frames at an odd byte offset, and
 * the JavaScript scan instead of the WebAssembly one.
 */
const SHIFTED = ', frames at an odd byte offset';
const JS_SCAN = ', JavaScript scan';

const CASES: [string, () => { all: EventBatch; lengths: number[] }][] = [
  ['clean 160x120 (byte fast path)', () => runBytes(160, 120, { seed: 5, preset: 'clean' })],
  [`clean 160x120 (byte fast path)${SHIFTED}`, () => runBytes(160, 120, { seed: 5, preset: 'clean' }, true)],
  [`clean 160x120 (byte fast path)${JS_SCAN}`, () => runBytes(160, 120, { seed: 5, preset: 'clean' }, false, false)],
  [`clean 160x120 (byte fast path)${SHIFTED}${JS_SCAN}`, () => runBytes(160, 120, { seed: 5, preset: 'clean' }, true, false)],
  ['clean 97x61 (odd size: unaligned tail)', () => runBytes(97, 61, { seed: 6, preset: 'clean' })],
  [`clean 97x61 (odd size: unaligned tail)${JS_SCAN}`, () => runBytes(97, 61, { seed: 6, preset: 'clean' }, false, false)],
  ['noisy 160x120 (filter, leak, shot noise, refractory)', () => runBytes(160, 120, { seed: 5, preset: 'noisy' })],
  ['clean + refractory 400 µs 160x120 (general path)', () => runBytes(160, 120, { seed: 7, refractoryUs: 400 })],
  ['leak + shot noise, no filter, 97x61', () => runBytes(97, 61, { seed: 8, leakHz: 3, shotNoiseHz: 5 })],
  ['log input, noisy, 97x61', () => runLog(97, 61, { seed: 9, preset: 'noisy' })],
];

describe('DvsModel golden output (seeded busy scene)', () => {
  for (const [name, run] of CASES) {
    it(name, () => {
      const got = summary(run());
      const golden = GOLDEN[name.replace(SHIFTED, '').replace(JS_SCAN, '')];
      expect((got.events as number) > 1000).toBe(true);
      expect(got).toEqual(golden);
    });
  }
});
