import { lastValueFrom, toArray } from 'rxjs';
import { detectObjects, type DetectObjectsOptions } from '../../src/readout/detectObjects.ts';
import { evaluateDetections } from '../../src/readout/evaluate.ts';
import { sceneTruth } from '../../src/readout/sceneTruth.ts';
import { fromScene } from '../../src/scenes/fromScene.ts';
import type { DvsPresetName } from '../../src/video/dvsModelOptions.ts';
import { suiteScene, type SceneCondition } from './sceneSuite.ts';

/** Summed detection quality of a condition over seeds (objects = 1 + (seed − 1) mod 5). */
export interface ConditionQuality {
  readonly scenes: number;
  readonly frames: number;
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
  readonly precision: number;
  readonly recall: number;
  /** Same, with objects less than 10 % visible as don't-care (see evaluateDetections' minVisibility). */
  readonly visible: { readonly precision: number; readonly recall: number; readonly ignored: number };
  /** Time from motion onset to the first matching detection, over all objects found (µs). */
  readonly latencyUs: { readonly median: number; readonly max: number; readonly found: number; readonly objects: number };
}

/** Objects hidden to more than 90 %: no camera sees them, MOT/KITTI-style "don't care". */
export const MIN_VISIBILITY = 0.1;

/** Runs the whole detection path (detectObjects) on generated scenes through the DVS model and scores it. */
export async function conditionQuality(
  condition: SceneCondition,
  preset: DvsPresetName,
  seeds: readonly number[],
  options: DetectObjectsOptions = {},
): Promise<ConditionQuality> {
  let frames = 0;
  let objects = 0;
  const all = { tp: 0, fp: 0, fn: 0 };
  const visible = { tp: 0, fp: 0, fn: 0, ignored: 0 };
  const latencies: number[] = [];
  for (const seed of seeds) {
    const spec = suiteScene(condition, seed, ((seed - 1) % 5) + 1);
    const detections = await lastValueFrom(fromScene(spec, { seed, preset }).pipe(detectObjects(options), toArray()));
    const { truthAt, onsetUs } = sceneTruth(spec);
    const r = evaluateDetections(detections, { minIou: 0.5, truthAt, onsetUs });
    const v = evaluateDetections(detections, { minIou: 0.5, truthAt, onsetUs, minVisibility: MIN_VISIBILITY });
    frames += r.frames;
    objects += onsetUs.size;
    all.tp += r.truePositives;
    all.fp += r.falsePositives;
    all.fn += r.falseNegatives;
    visible.tp += v.truePositives;
    visible.fp += v.falsePositives;
    visible.fn += v.falseNegatives;
    visible.ignored += v.ignored;
    latencies.push(...r.latencyUs.values());
  }
  latencies.sort((a, b) => a - b);
  return {
    scenes: seeds.length,
    frames,
    truePositives: all.tp,
    falsePositives: all.fp,
    falseNegatives: all.fn,
    precision: ratio(all.tp, all.tp + all.fp),
    recall: ratio(all.tp, all.tp + all.fn),
    visible: { precision: ratio(visible.tp, visible.tp + visible.fp), recall: ratio(visible.tp, visible.tp + visible.fn), ignored: visible.ignored },
    latencyUs: {
      median: latencies.length > 0 ? latencies[latencies.length >> 1] : NaN,
      max: latencies.length > 0 ? latencies[latencies.length - 1] : NaN,
      found: latencies.length,
      objects,
    },
  };
}

function ratio(a: number, b: number): number {
  return b > 0 ? Math.round((a / b) * 1000) / 1000 : 1;
}
