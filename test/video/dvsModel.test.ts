import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.ts';
import { concatBatches, type EventBatch } from '../../src/events/eventBatch.ts';
import { DvsModel } from '../../src/video/dvsModel.ts';
import { linLog, linLogTable8 } from '../../src/video/linLog.ts';
import { SeededRandom } from '../../src/video/random.ts';

const THETA = 0.2;
const ideal = { thresholdSigma: 0, threshold: THETA };

/** A 1-pixel model fed log intensities directly. */
function onePixel(options = {}): DvsModel {
  return new DvsModel(1, 1, { ...ideal, ...options });
}

function times(batch: EventBatch): number[] {
  return Array.from(batch.t);
}

describe('DvsModel analytic behaviour', () => {
  for (const k of [1, 2, 3, 5, 8]) {
    it(`a step by e^(${k}θ) gives exactly ${k} ON events, and back gives ${k} OFF events`, () => {
      const model = onePixel();
      const base = Math.log(100);
      expect(model.pushLog([base], 0).length).toBe(0);
      const up = model.pushLog([Math.log(100 * Math.exp(k * THETA))], 1000);
      expect(up.length).toBe(k);
      expect(Array.from(up.p)).toEqual(new Array(k).fill(1));
      const down = model.pushLog([base], 2000);
      expect(down.length).toBe(k);
      expect(Array.from(down.p)).toEqual(new Array(k).fill(0));
    });
  }

  it('a step just short of k·θ gives k-1 events', () => {
    const model = onePixel();
    model.pushLog([0], 0);
    expect(model.pushLog([3 * THETA - 1e-4], 1000).length).toBe(2);
  });

  it('crossing times interpolate linearly between the frames (ESIM)', () => {
    const model = onePixel();
    model.pushLog([1], 10_000);
    expect(times(model.pushLog([1 + 4 * THETA], 11_000))).toEqual([10_250, 10_500, 10_750, 11_000]);
    // A fall of 2.5θ: crossings at 1θ and 2θ of the 2.5θ path.
    expect(times(model.pushLog([1 + 1.5 * THETA], 12_000))).toEqual([11_400, 11_800]);
  });

  it('the reference moves one threshold per event (no events while within one threshold)', () => {
    const model = onePixel();
    model.pushLog([0], 0);
    expect(model.pushLog([1.5 * THETA], 100).length).toBe(1); // reference now at θ
    expect(model.pushLog([1.9 * THETA], 200).length).toBe(0);
    expect(model.pushLog([2.05 * THETA], 300).length).toBe(1);
    expect(model.pushLog([1.1 * THETA], 400).length).toBe(0); // 0.9θ below the reference 2θ
    expect(model.pushLog([0.95 * THETA], 500).length).toBe(1);
  });

  it('the refractory period delays crossings, and what does not fit waits for the next frame', () => {
    const model = onePixel({ refractoryUs: 400 });
    model.pushLog([0], 0);
    expect(times(model.pushLog([4 * THETA], 1000))).toEqual([250, 650]);
    expect(times(model.pushLog([4 * THETA], 2000))).toEqual([1050, 1450]);
    expect(model.pushLog([4 * THETA], 3000).length).toBe(0);
  });

  it('with a long refractory period a fast flicker is suppressed', () => {
    const free = onePixel();
    const refractory = onePixel({ refractoryUs: 5000 });
    let freeCount = 0;
    let refCount = 0;
    for (let f = 0; f <= 20; f++) {
      const level = f % 2 === 0 ? 0 : 3 * THETA;
      freeCount += free.pushLog([level], f * 1000).length;
      refCount += refractory.pushLog([level], f * 1000).length;
    }
    expect(freeCount).toBe(60);
    expect(refCount).toBeLessThan(10);
  });

  it('events of a frame are sorted by time across pixels and lie within the interval', () => {
    const width = 64;
    const height = 48;
    const model = new DvsModel(width, height, { seed: 3 });
    const random = new SeededRandom(9);
    const frame = new Uint8Array(width * height);
    let total = 0;
    for (let f = 0; f < 6; f++) {
      for (let i = 0; i < frame.length; i++) frame[i] = random.nextInt(256);
      const batch = model.pushFrame({ data: frame, width, height, t: f * 33_333 });
      let bad = 0;
      for (let j = 0; j < batch.length; j++) {
        if (batch.t[j] < (j > 0 ? batch.t[j - 1] : (f - 1) * 33_333) || batch.t[j] > f * 33_333) bad++;
        if (batch.x[j] >= width || batch.y[j] >= height) bad++;
      }
      expect(bad).toBe(0);
      total += batch.length;
    }
    expect(total).toBeGreaterThan(10_000);
  });

  it('sorts correctly when frames are more than 65 ms apart (radix path)', () => {
    const model = new DvsModel(8, 8, { ...ideal });
    model.pushLog(new Array(64).fill(0), 0);
    const target = Array.from({ length: 64 }, (_, i) => (1 + (i % 7)) * THETA * (i % 2 ? 1 : -1));
    const batch = model.pushLog(target, 1_000_000);
    expect(batch.length).toBe(target.reduce((s, v) => s + Math.round(Math.abs(v) / THETA), 0));
    for (let j = 1; j < batch.length; j++) expect(batch.t[j]).toBeGreaterThanOrEqual(batch.t[j - 1]);
  });
});

describe('DvsModel determinism and noise', () => {
  function run(seed: number, preset: 'clean' | 'noisy'): EventBatch {
    const width = 40;
    const height = 30;
    const model = new DvsModel(width, height, { seed, preset });
    const parts: EventBatch[] = [];
    for (let f = 0; f < 30; f++) {
      const data = new Uint8Array(width * height);
      // A bright bar sweeping right over a gradient.
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) data[y * width + x] = Math.abs(x - f) < 3 ? 220 : 40 + 3 * y;
      }
      parts.push(model.pushFrame({ data, width, height, t: f * 10_000 }));
    }
    return concatBatches(parts, { width, height });
  }

  for (const preset of ['clean', 'noisy'] as const) {
    it(`${preset}: the same seed gives identical events, another seed different ones`, () => {
      const a = run(7, preset);
      const b = run(7, preset);
      const c = run(8, preset);
      expect(a.length).toBeGreaterThan(500);
      expect(Array.from(b.t)).toEqual(Array.from(a.t));
      expect(Array.from(b.x)).toEqual(Array.from(a.x));
      expect(Array.from(b.p)).toEqual(Array.from(a.p));
      const same = a.length === c.length && a.t.every((v, i) => v === c.t[i] && a.x[i] === c.x[i]);
      expect(same).toBe(false);
    });
  }

  it('shot noise on a static scene comes at the configured rate', () => {
    const width = 100;
    const height = 100;
    const model = new DvsModel(width, height, { shotNoiseHz: 2, seed: 1 });
    const data = new Uint8Array(width * height).fill(128);
    let count = 0;
    for (let f = 0; f <= 100; f++) count += model.pushFrame({ data, width, height, t: f * 10_000 }).length;
    // 10 000 pixels × 2 Hz × 1 s = 20 000 expected; Poisson σ ≈ 141.
    expect(count).toBeGreaterThan(19_400);
    expect(count).toBeLessThan(20_600);
  });

  it('leak gives ON events at the leak rate on a static scene', () => {
    const width = 50;
    const height = 50;
    const model = new DvsModel(width, height, { leakHz: 1, seed: 2 });
    const data = new Uint8Array(width * height).fill(100);
    let on = 0;
    let off = 0;
    for (let f = 0; f <= 100; f++) {
      const batch = model.pushFrame({ data, width, height, t: f * 20_000 });
      for (let j = 0; j < batch.length; j++) batch.p[j] ? on++ : off++;
    }
    // 2 s at 1 Hz: every pixel leaks twice (random phase: 2 ± 1 per pixel).
    expect(off).toBe(0);
    expect(on).toBeGreaterThan(2 * 2500 - 300);
    expect(on).toBeLessThan(2 * 2500 + 300);
  });

  it('the low-pass photoreceptor delays and spreads the response to a step', () => {
    const fast = new DvsModel(1, 1, { ...ideal });
    const slow = new DvsModel(1, 1, { ...ideal, cutoffHz: 5 });
    const dark = { data: new Uint8Array([50]), width: 1, height: 1, t: 0 };
    fast.pushFrame(dark);
    slow.pushFrame(dark);
    const firstFast = fast.pushFrame({ ...dark, data: new Uint8Array([200]), t: 10_000 }).length;
    const firstSlow = slow.pushFrame({ ...dark, data: new Uint8Array([200]), t: 10_000 }).length;
    let slowTotal = firstSlow;
    for (let f = 2; f < 100; f++) slowTotal += slow.pushFrame({ ...dark, data: new Uint8Array([200]), t: f * 10_000 }).length;
    expect(firstFast).toBe(Math.floor(Math.log(4) / THETA)); // 6
    expect(firstSlow).toBeLessThan(firstFast);
    expect(slowTotal).toBe(firstFast);
  });
});

describe('DvsModel input checks and lin-log', () => {
  it('lin-log is linear below the cut-off, log above, continuous at it', () => {
    expect(linLog(20, 20)).toBeCloseTo(Math.log(20), 12);
    expect(linLog(19.999999, 20)).toBeCloseTo(Math.log(20), 5);
    expect(linLog(10, 20)).toBeCloseTo(Math.log(20) / 2, 12);
    expect(linLog(0, 20)).toBe(0);
    expect(linLog(200, 20)).toBe(Math.log(200));
    const table = linLogTable8();
    expect(table[100]).toBe(Math.log(100));
    expect(table[5]).toBeCloseTo((5 * Math.log(20)) / 20, 12);
  });

  it('rejects frames going back in time or of another size', () => {
    const model = new DvsModel(2, 2, {});
    model.pushFrame({ data: new Uint8Array(4), width: 2, height: 2, t: 100 });
    expect(() => model.pushFrame({ data: new Uint8Array(4), width: 2, height: 2, t: 50 })).toThrow(ConfigError);
    expect(() => model.pushFrame({ data: new Uint8Array(6), width: 3, height: 2, t: 200 })).toThrow(/frame size/);
  });

  it('rejects bad options with the allowed range', () => {
    expect(() => new DvsModel(2, 2, { threshold: 0 })).toThrow(/thresholdOn: 0 is not allowed/);
    expect(() => new DvsModel(2, 2, { preset: 'foggy' as 'clean' })).toThrow(ConfigError);
    expect(() => new DvsModel(2, 2, { seed: -1 })).toThrow(/seed/);
  });

  it('threshold mismatch: σ as configured, clamped above 0.01', () => {
    const model = new DvsModel(200, 200, { thresholdSigma: 0.03, seed: 5 });
    const th = (model as unknown as { thOn: Float64Array }).thOn;
    let sum = 0;
    let sq = 0;
    for (const v of th) {
      sum += v;
      sq += v * v;
    }
    const mean = sum / th.length;
    expect(mean).toBeCloseTo(0.2, 3);
    expect(Math.sqrt(sq / th.length - mean * mean)).toBeCloseTo(0.03, 3);
    const wide = new DvsModel(100, 100, { thresholdSigma: 0.5, seed: 5 });
    expect(Math.min(...(wide as unknown as { thOn: Float64Array }).thOn)).toBe(0.01);
  });
});
