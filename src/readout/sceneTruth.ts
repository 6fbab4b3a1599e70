import { generateScene } from '../scenes/generateScene.ts';
import type { SceneSpec } from '../scenes/sceneSpec.ts';
import type { TruthBox } from './evaluate.ts';

/**
 * Ground truth of a generated scene for detection scoring: the scene's boxes, each with the fraction of its
 * shape that is visible (not covered by objects drawn after it, which the generator paints on top), and only
 * from the moment the object first moves (a still object sends no events, so nothing can detect it).
 *
 * The visibility lets an evaluation treat objects hidden behind others as "don't care", the way MOT
 * benchmarks use their visibility annotation and KITTI its occlusion levels (see `evaluateDetections`).
 */
export function sceneTruth(spec: SceneSpec): { truthAt: (t: number) => TruthBox[]; onsetUs: Map<number, number> } {
  const scene = generateScene(spec);
  const onsetUs = new Map<number, number>();
  const first = scene.truth(0);
  for (let n = 1; n < scene.frameCount && onsetUs.size < spec.objects.length; n++) {
    const boxes = scene.truth(n);
    for (const box of boxes) {
      if (onsetUs.has(box.id)) continue;
      const before = first.find((b) => b.id === box.id);
      // Moving, or appearing mid-scene (then it is visible as it pops in).
      if (!before || before.x !== box.x || before.y !== box.y) onsetUs.set(box.id, scene.frameTime(n - (before ? 1 : 0)));
    }
  }
  const truthAt = (t: number): TruthBox[] => {
    const boxes = scene.truthAt(t).filter((b) => onsetUs.has(b.id) && t > onsetUs.get(b.id)!);
    return boxes.map((b) => ({ ...b, visibility: visibleFraction(spec, boxes, b) }));
  };
  return { truthAt, onsetUs };
}

/** The fraction of a box's shape not covered by the shapes of later objects (pixel-centre sampling). */
function visibleFraction(spec: SceneSpec, boxes: readonly TruthBox[], box: TruthBox): number {
  const above = boxes.filter((b) => b.id > box.id && overlaps(b, box));
  if (above.length === 0) return 1;
  let inside = 0;
  let visible = 0;
  for (let y = Math.floor(box.y) + 0.5; y < box.y + box.h; y++) {
    for (let x = Math.floor(box.x) + 0.5; x < box.x + box.w; x++) {
      if (!covers(spec, box, x, y)) continue;
      inside++;
      if (!above.some((b) => covers(spec, b, x, y))) visible++;
    }
  }
  return inside > 0 ? visible / inside : 0;
}

/** Whether the object's shape covers point (x, y): discs are the circle inscribed in their box. */
function covers(spec: SceneSpec, box: TruthBox, x: number, y: number): boolean {
  if (x < box.x || x >= box.x + box.w || y < box.y || y >= box.y + box.h) return false;
  if (spec.objects[box.id].shape !== 'disc') return true;
  const r = spec.objects[box.id].size / 2;
  return Math.hypot(x - (box.x + box.w / 2), y - (box.y + box.h / 2)) <= r;
}

function overlaps(a: TruthBox, b: TruthBox): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}
