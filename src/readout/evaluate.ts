import { iou } from './boxes.ts';
import type { DetectionFrame } from './detectionFrame.ts';

/** A ground-truth object box at some time: x, y top-left in sensor pixels. */
export interface TruthBox {
  readonly id: number;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  /** Fraction of the object not hidden behind other objects (0..1; default 1), see `minVisibility`. */
  readonly visibility?: number;
}

export interface EvaluationOptions {
  /** A detection matches an object when their IoU is at least this (default 0.5). */
  readonly minIou: number;
  /** Ground truth at time t (µs): the objects that are visible to an event camera then (i.e. moving). */
  readonly truthAt: (t: number) => readonly TruthBox[];
  /** Motion onset per object id (µs), for the latency. */
  readonly onsetUs: ReadonlyMap<number, number>;
  /**
   * Objects less visible than this are "don't care" (default 0: every object counts): a miss is not a false
   * negative and a detection matching one is not a false positive. This is how MOT benchmarks use their
   * visibility annotation and KITTI its DontCare regions: no event camera sees an object hidden behind another.
   */
  readonly minVisibility?: number;
}

export interface Evaluation {
  readonly frames: number;
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
  /** Object instances skipped as don't-care (visibility below `minVisibility`), over all frames. */
  readonly ignored: number;
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
 * an object without one a false negative. Don't-care objects (see `minVisibility`) are paired only after the
 * others, with the detections left over, and count neither way.
 */
export function evaluateDetections(frames: readonly DetectionFrame[], options: EvaluationOptions): Evaluation {
  const minVisibility = options.minVisibility ?? 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let ignored = 0;
  let iouSum = 0;
  const latency = new Map<number, number>();
  for (const frame of frames) {
    const all = options.truthAt(frame.t);
    const truth = all.filter((g) => (g.visibility ?? 1) >= minVisibility);
    const dontCare = all.filter((g) => (g.visibility ?? 1) < minVisibility);
    ignored += dontCare.length;
    const usedD = new Set<number>();
    for (const p of greedyPairs(frame.boxes, truth, options.minIou)) {
      usedD.add(p.d);
      iouSum += p.iou;
      const id = truth[p.g].id;
      const onset = options.onsetUs.get(id);
      if (onset !== undefined && !latency.has(id)) latency.set(id, frame.t - onset);
    }
    const matched = usedD.size;
    const rest = frame.boxes.filter((_, i) => !usedD.has(i));
    const excused = greedyPairs(rest, dontCare, options.minIou).length;
    tp += matched;
    fp += rest.length - excused;
    fn += truth.length - matched;
  }
  const latencies = [...latency.values()];
  return {
    frames: frames.length,
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    ignored,
    precision: tp + fp > 0 ? tp / (tp + fp) : 1,
    recall: tp + fn > 0 ? tp / (tp + fn) : 1,
    meanIou: tp > 0 ? iouSum / tp : 0,
    latencyUs: latency,
    meanLatencyUs: latencies.length > 0 ? latencies.reduce((a, b) => a + b, 0) / latencies.length : NaN,
  };
}

/** Detection–object pairs with IoU ≥ minIou, best first, each detection and object used at most once. */
function greedyPairs(
  detections: readonly { x: number; y: number; w: number; h: number }[],
  truth: readonly TruthBox[],
  minIou: number,
): { d: number; g: number; iou: number }[] {
  const pairs: { d: number; g: number; iou: number }[] = [];
  detections.forEach((d, di) =>
    truth.forEach((g, gi) => {
      const v = iou(d.x, d.y, d.w, d.h, g.x, g.y, g.w, g.h);
      if (v >= minIou) pairs.push({ d: di, g: gi, iou: v });
    }),
  );
  pairs.sort((a, b) => b.iou - a.iou);
  const usedD = new Set<number>();
  const usedG = new Set<number>();
  const out: { d: number; g: number; iou: number }[] = [];
  for (const p of pairs) {
    if (usedD.has(p.d) || usedG.has(p.g)) continue;
    usedD.add(p.d);
    usedG.add(p.g);
    out.push(p);
  }
  return out;
}
