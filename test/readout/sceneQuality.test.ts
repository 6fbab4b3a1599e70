import { describe, expect, it } from 'vitest';
import { evaluateDetections } from '../../src/readout/evaluate.ts';
import { sceneTruth } from '../../src/readout/sceneTruth.ts';
import type { SceneSpec } from '../../src/scenes/sceneSpec.ts';
import { conditionQuality } from './sceneQuality.ts';
import type { SceneCondition } from './sceneSuite.ts';

/**
 * Detection quality on the scene generator, all frames, on held-out seeds 101–105 (objects 1–5; parameters
 * were tuned on seeds 1–40). Issue 6 targets: P and R >= 0.9 clean, >= 0.8 noisy, asserted where reached;
 * elsewhere the measured level minus 0.03 is a labelled floor.
 */
describe('detection quality on generated scenes (held-out seeds)', () => {
  const seeds = [101, 102, 103, 104, 105];

  it('bouncing squares and discs, clean sensor: precision and recall >= 0.9, found within 40 ms of onset', async () => {
    const q = await conditionQuality('bouncing', 'clean', seeds);
    expect(q.precision).toBeGreaterThanOrEqual(0.9);
    expect(q.recall).toBeGreaterThanOrEqual(0.9);
    expect(q.latencyUs.found).toBe(q.latencyUs.objects);
    expect(q.latencyUs.max).toBeLessThanOrEqual(40_000);
  });

  it('bouncing squares and discs, noisy sensor: precision and recall >= 0.8', async () => {
    const q = await conditionQuality('bouncing', 'noisy', seeds);
    expect(q.precision).toBeGreaterThanOrEqual(0.8);
    expect(q.recall).toBeGreaterThanOrEqual(0.8);
  });

  // Where a condition does not reach the target yet, its measured level on these seeds (after pixel edges,
  // onset events, motion compensation and shares that move tracks only as far as they must) minus 0.03 is held
  // as a labelled floor, so a regression fails; `target` marks the bounds that are the targets.
  for (const { condition, preset, precision, recall } of HELD) {
    const label = (v: Bound) => (v.target ? `target ${v.min}` : `floor ${v.min}, measured ${v.measured}`);
    it(`${condition}, ${preset} sensor: precision ${label(precision)}, recall ${label(recall)}`, async () => {
      const q = await conditionQuality(condition, preset, seeds);
      expect(q.precision).toBeGreaterThanOrEqual(precision.min);
      expect(q.recall).toBeGreaterThanOrEqual(recall.min);
    });
  }
});

interface Bound {
  readonly min: number;
  readonly target?: true;
  readonly measured?: number;
}
const target = (min: number): Bound => ({ min, target: true });
/** The measured value on seeds 101–105 minus a margin of 0.03 (the target is not reached yet). */
const floor = (measured: number): Bound => ({ min: Math.round((measured - 0.03) * 1000) / 1000, measured });

/** Measured on seeds 101–105 with the defaults of this commit. */
const HELD: readonly { condition: SceneCondition; preset: 'clean' | 'noisy'; precision: Bound; recall: Bound }[] = [
  { condition: 'crossing', preset: 'clean', precision: target(0.9), recall: floor(0.898) },
  { condition: 'crossing', preset: 'noisy', precision: target(0.8), recall: target(0.8) },
  { condition: 'bars', preset: 'clean', precision: floor(0.845), recall: floor(0.829) },
  { condition: 'bars', preset: 'noisy', precision: target(0.8), recall: target(0.8) },
  { condition: 'textured', preset: 'clean', precision: target(0.9), recall: floor(0.843) },
  { condition: 'textured', preset: 'noisy', precision: target(0.8), recall: target(0.8) },
  { condition: 'fast', preset: 'clean', precision: target(0.9), recall: floor(0.841) },
  { condition: 'fast', preset: 'noisy', precision: target(0.8), recall: target(0.8) },
  { condition: 'onset', preset: 'clean', precision: target(0.9), recall: floor(0.881) },
  { condition: 'onset', preset: 'noisy', precision: target(0.8), recall: floor(0.744) },
];

describe('sceneTruth', () => {
  // A 10 px disc fully behind a 20 px square drawn after it, and a square moving from t = 0.1 s.
  const spec: SceneSpec = {
    width: 100,
    height: 60,
    fps: 100,
    durationS: 0.3,
    objects: [
      { shape: 'disc', size: 10, level: 200, path: { kind: 'linear', x: 30, y: 30, vx: 10, vy: 0 } },
      { shape: 'square', size: 20, level: 30, path: { kind: 'linear', x: 30, y: 30, vx: 10, vy: 0 } },
      { shape: 'square', size: 10, level: 200, path: { kind: 'waypoints', points: [[0.1, 80, 30], [0.3, 80, 50]] } },
    ],
  };
  const { truthAt, onsetUs } = sceneTruth(spec);

  it('starts an object when it first moves and measures how much of it is covered by later objects', () => {
    expect([...onsetUs]).toEqual([[0, 0], [1, 0], [2, 100_000]]);
    const early = truthAt(50_000);
    expect(early.map((b) => [b.id, b.visibility])).toEqual([[0, 0], [1, 1]]);
    expect(truthAt(150_000).map((b) => b.id)).toEqual([0, 1, 2]);
  });

  it('counts hidden objects neither as misses nor their detections as false positives with minVisibility', () => {
    const frame = { t: 50_000, width: 100, height: 60, boxes: [{ id: 1, x: 20.5, y: 20, w: 20, h: 20, score: 1 }] };
    const hidden = { id: 2, x: 25.5, y: 25, w: 10, h: 10, score: 1 };
    const all = evaluateDetections([frame], { minIou: 0.5, truthAt, onsetUs });
    expect([all.truePositives, all.falsePositives, all.falseNegatives]).toEqual([1, 0, 1]);
    const visible = evaluateDetections([frame], { minIou: 0.5, truthAt, onsetUs, minVisibility: 0.1 });
    expect([visible.truePositives, visible.falsePositives, visible.falseNegatives, visible.ignored]).toEqual([1, 0, 0, 1]);
    const both = evaluateDetections([{ ...frame, boxes: [...frame.boxes, hidden] }], { minIou: 0.5, truthAt, onsetUs, minVisibility: 0.1 });
    expect([both.truePositives, both.falsePositives, both.falseNegatives]).toEqual([1, 0, 0]);
  });
});
