import { iou } from './boxes.ts';
import type { DetectionFrame } from './detectionFrame.ts';

/** A ground-truth object box at some time: x, y top-left in sensor pixels. */
export interface TruthBox {
  readonly id: number;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface EvaluationOptions {
  /** A detection matches an object when their IoU is at least this (default 0.5). */
  readonly minIou: number;
  /** Ground truth at time t (µs): the objects that are visible to an event camera then (i.e. moving). */
  readonly truthAt: (t: number) => readonly TruthBox[];
  /** Motion onset per object id (µs), for the latency. */
  readonly onsetUs: ReadonlyMap<number, number>;
}

export interface Evaluation {
  readonly frames: number;
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
  readonly precision: number;
  readonly recall: number;
  /** Mean IoU of the matched pairs. */
  readonly meanIou: number;
  /** Per object: time from motion onset to its first matching detection (µs); missing objects are absent. */
  readonly latencyUs: ReadonlyMap<number, number>;
  readonly meanLatencyUs: number;
}

/**
 * Precision and recall at IoU ≥ minIou over detection frames: in each frame, detections and ground-truth boxes
 * are paired greedily by IoU (best first, each used once); a detection without a partner is a false positive,
 * an object without one a false negative.
 */
export function evaluateDetections(frames: readonly DetectionFrame[], options: EvaluationOptions): Evaluation {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let iouSum = 0;
  const latency = new Map<number, number>();
  for (const frame of frames) {
    const truth = options.truthAt(frame.t);
    const pairs: { d: number; g: number; iou: number }[] = [];
    frame.boxes.forEach((d, di) =>
      truth.forEach((g, gi) => {
        const v = iou(d.x, d.y, d.w, d.h, g.x, g.y, g.w, g.h);
        if (v >= options.minIou) pairs.push({ d: di, g: gi, iou: v });
      }),
    );
    pairs.sort((a, b) => b.iou - a.iou);
    const usedD = new Set<number>();
    const usedG = new Set<number>();
    for (const p of pairs) {
      if (usedD.has(p.d) || usedG.has(p.g)) continue;
      usedD.add(p.d);
      usedG.add(p.g);
      iouSum += p.iou;
      const id = truth[p.g].id;
      const onset = options.onsetUs.get(id);
      if (onset !== undefined && !latency.has(id)) latency.set(id, frame.t - onset);
    }
    tp += usedD.size;
    fp += frame.boxes.length - usedD.size;
    fn += truth.length - usedG.size;
  }
  const latencies = [...latency.values()];
  return {
    frames: frames.length,
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    precision: tp + fp > 0 ? tp / (tp + fp) : 1,
    recall: tp + fn > 0 ? tp / (tp + fn) : 1,
    meanIou: tp > 0 ? iouSum / tp : 0,
    latencyUs: latency,
    meanLatencyUs: latencies.length > 0 ? latencies.reduce((a, b) => a + b, 0) / latencies.length : NaN,
  };
}
