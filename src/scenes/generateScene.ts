/**
 * Synthetic scenes with ground truth: moving squares, discs and bars on a flat or textured background, seen by
 * a static camera, with optional sensor noise. Deterministic for a seed.
 *
 * ```ts
 * const scene = generateScene({
 *   width: 346, height: 260, fps: 100, durationS: 2, seed: 1,
 *   background: { kind: 'texture', level: 90, contrast: 30 }, noiseSigma: 2,
 *   objects: [{ shape: 'square', size: 30, level: 220, path: { kind: 'linear', x: 40, y: 130, vx: 120, vy: 0, bounce: true } }],
 * });
 * for (const frame of scene.frames) { … }       // Frame: 8-bit luma, t in µs (frame n at round(n·1e6/fps))
 * scene.truth(12);                               // TruthBox[] of frame 12: {id, x, y, w, h}, x/y top-left, clipped
 * scene.truthAt(125_000);                        // boxes of the last frame at or before t = 125 ms
 * fromScene(spec).pipe(framesToEvents({ seed: 1, preset: 'noisy' }))   // the scene as a DVS event stream
 * ```
 * Box ids are object indices in `spec.objects`. An object appears in `truth` only while present (`startS` ≤ t <
 * `endS`) and at least partly inside the frame; boxes are the shape's exact extent clipped to the frame
 * (fractional pixels), ignoring occlusion by later objects. `writeSceneY4m` / `writeScenePngs` save a scene as
 * a video or an image folder (with `truth.ndjson`) for the ffmpeg and image-folder sources.
 */
import type { Frame } from '../video/frame.ts';
import { SeededRandom } from '../video/random.ts';
import { renderBackground } from './background.ts';
import { fillDisc, fillRect } from './rasterize.ts';
import { positionAt } from './scenePaths.ts';
import { checkSceneSpec, sceneFrameCount, type SceneObject, type SceneSpec } from './sceneSpec.ts';

/** A ground-truth box: object id (index in `spec.objects`) and its extent in pixels (x, y = top-left). */
export interface TruthBox {
  readonly id: number;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface Scene {
  readonly width: number;
  readonly height: number;
  readonly frameCount: number;
  /** Time of frame n in µs. */
  frameTime(n: number): number;
  /** The frames, rendered lazily; each iteration starts over and yields identical frames. */
  readonly frames: Iterable<Frame>;
  /** Renders frame n on its own. */
  frame(n: number): Frame;
  truth(n: number): TruthBox[];
  /** Boxes of the last frame at or before t (µs); none before the first frame. */
  truthAt(t: number): TruthBox[];
}

export function generateScene(spec: SceneSpec): Scene {
  checkSceneSpec(spec);
  const { width, height, fps } = spec;
  const frameCount = sceneFrameCount(spec);
  const seed = spec.seed ?? 0;
  const background = renderBackground(spec.background, width, height, seed);
  const frameTime = (n: number) => Math.round((n * 1e6) / fps);
  const truth = (n: number): TruthBox[] => {
    const t = n / fps;
    const boxes: TruthBox[] = [];
    spec.objects.forEach((object, id) => {
      const box = extentAt(object, t, spec);
      if (!box) return;
      const x0 = Math.max(0, box[0]);
      const y0 = Math.max(0, box[1]);
      const x1 = Math.min(width, box[2]);
      const y1 = Math.min(height, box[3]);
      if (x1 > x0 && y1 > y0) boxes.push({ id, x: x0, y: y0, w: x1 - x0, h: y1 - y0 });
    });
    return boxes;
  };
  const frame = (n: number): Frame => {
    const canvas = Float32Array.from(background);
    const t = n / fps;
    for (const object of spec.objects) {
      const box = extentAt(object, t, spec);
      if (!box) continue;
      if (object.shape === 'disc') {
        fillDisc(canvas, width, height, (box[0] + box[2]) / 2, (box[1] + box[3]) / 2, object.size / 2, object.level);
      } else {
        fillRect(canvas, width, height, box[0], box[1], box[2], box[3], object.level);
      }
    }
    const data = new Uint8Array(width * height);
    const sigma = spec.noiseSigma ?? 0;
    // Noise of frame n depends only on (seed, n), so any frame can be rendered alone.
    const random = sigma > 0 ? new SeededRandom((seed * 0x9e3779b1 + n * 0x85ebca6b) >>> 0) : undefined;
    for (let i = 0; i < data.length; i++) {
      const v = random ? canvas[i] + sigma * random.normal() : canvas[i];
      data[i] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
    }
    return { data, width, height, t: frameTime(n) };
  };
  return {
    width,
    height,
    frameCount,
    frameTime,
    frame,
    truth,
    truthAt: (t) => {
      let n = Math.floor((t * fps) / 1e6);
      if (n >= 0 && frameTime(n + 1) <= t) n++;
      if (n >= 0 && frameTime(n) > t) n--;
      return n < 0 ? [] : truth(Math.min(n, frameCount - 1));
    },
    frames: {
      *[Symbol.iterator]() {
        for (let n = 0; n < frameCount; n++) yield frame(n);
      },
    },
  };
}

/** The object's extent [x0, y0, x1, y1] at time t (s), or undefined while it is absent. */
function extentAt(object: SceneObject, t: number, frame: { width: number; height: number }): [number, number, number, number] | undefined {
  if (t < (object.startS ?? 0) || t >= (object.endS ?? Infinity)) return undefined;
  const [w, h] = objectSize(object);
  const [cx, cy] = positionAt(object.path, t, frame, w / 2, h / 2);
  return [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2];
}

function objectSize(object: SceneObject): [number, number] {
  if (object.shape !== 'bar') return [object.size, object.size];
  const thickness = object.thickness ?? object.size / 5;
  return object.orientation === 'vertical' ? [thickness, object.size] : [object.size, thickness];
}
