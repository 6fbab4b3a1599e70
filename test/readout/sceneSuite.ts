import type { SceneObject, ScenePath, SceneSpec } from '../../src/scenes/sceneSpec.ts';

/**
 * Scene specs for scoring detection on the scene generator, one family per condition, 240 × 180 at 500 fps:
 * - `bouncing`: squares and discs (16–40 px, 60–200 px/s) in straight lines, bouncing off the frame edges;
 * - `crossing`: objects start spread around a ring and all head through the middle of the frame, so they
 *   touch, overlap and pass behind each other;
 * - `bars`: horizontal and vertical bars (thickness size/5) with squares, bouncing;
 * - `textured`: like `bouncing` over a textured background (value noise, contrast ±40 levels);
 * - `fast`: like `bouncing` at 250–450 px/s;
 * - `onset`: objects still until an onset between 50 and 250 ms, then moving (latency from motion onset).
 * Objects are brighter or darker than the background (level 200 or 30 on 100) and start at least 6 px apart
 * (crossing ones on their ring), so every object is seen alone before it meets another.
 */
export type SceneCondition = 'bouncing' | 'crossing' | 'bars' | 'textured' | 'fast' | 'onset';

export const SCENE_CONDITIONS: readonly SceneCondition[] = ['bouncing', 'crossing', 'bars', 'textured', 'fast', 'onset'];

const WIDTH = 240;
const HEIGHT = 180;

export function suiteScene(condition: SceneCondition, seed: number, objects: number, durationS = 0.6): SceneSpec {
  const random = mulberry32(seed * 7919 + SCENE_CONDITIONS.indexOf(condition));
  const list: SceneObject[] = [];
  const turn = condition === 'crossing' ? 2 * Math.PI * random() : 0;
  // Objects start at least 6 px apart: a blob that was never two cannot be told apart by its motion history.
  const placed: [number, number, number, number][] = [];
  const place = (w: number, h: number): [number, number] => {
    let x = 0;
    let y = 0;
    for (let attempt = 0; attempt < 100; attempt++) {
      x = w / 2 + random() * (WIDTH - w);
      y = h / 2 + random() * (HEIGHT - h);
      const clear = placed.every(([px, py, pw, ph]) => Math.abs(x - px) >= (w + pw) / 2 + 6 || Math.abs(y - py) >= (h + ph) / 2 + 6);
      if (clear) break;
    }
    placed.push([x, y, w, h]);
    return [x, y];
  };
  for (let k = 0; k < objects; k++) {
    const size = Math.round(16 + 24 * random());
    const level = random() < 0.5 ? 200 : 30;
    const fast = condition === 'fast';
    const speed = fast ? 250 + 200 * random() : 60 + 140 * random();
    const angle = random() * 2 * Math.PI;
    let shape: SceneObject['shape'] = random() < 0.5 ? 'square' : 'disc';
    let extra: Partial<SceneObject> = {};
    if (condition === 'bars' && random() < 0.7) {
      shape = 'bar';
      extra = { size: Math.round(30 + 20 * random()), orientation: random() < 0.5 ? 'horizontal' : 'vertical' };
    }
    const object = { shape, size, level, ...extra };
    const [w, h] = extent(object);
    let path: ScenePath;
    if (condition === 'crossing') {
      // Start spread around a ring (50–80 px out, in turn around it, so no two start overlapping) and head
      // through the middle (± 15 px) at 100–250 px/s: paths meet between 0.2 and 0.8 s.
      const heading = (2 * Math.PI * (k + 0.6 * random())) / objects + turn;
      const radius = 50 + 30 * random();
      const v = 100 + 150 * random();
      const cx = WIDTH / 2 + 30 * (random() - 0.5);
      const cy = HEIGHT / 2 + 30 * (random() - 0.5);
      path = {
        kind: 'linear',
        x: clamp(cx - radius * Math.cos(heading), w / 2, WIDTH - w / 2),
        y: clamp(cy - radius * Math.sin(heading), h / 2, HEIGHT - h / 2),
        vx: v * Math.cos(heading),
        vy: v * Math.sin(heading),
        bounce: true,
      };
    } else if (condition === 'onset') {
      const onset = 0.05 + 0.2 * random();
      const [x, y] = place(w, h);
      // Held still until the onset, then straight on towards a far point (reached after the scene ends), kept
      // inside the frame by aiming at the frame's far side.
      const tx = x < WIDTH / 2 ? WIDTH - w / 2 : w / 2;
      const ty = y < HEIGHT / 2 ? HEIGHT - h / 2 : h / 2;
      const travel = Math.hypot(tx - x, ty - y);
      const end = onset + Math.max(travel / speed, durationS);
      path = { kind: 'waypoints', points: [[onset, x, y], [end, tx, ty]] };
    } else {
      const [x, y] = place(w, h);
      path = {
        kind: 'linear',
        x,
        y,
        vx: speed * Math.cos(angle),
        vy: speed * Math.sin(angle),
        bounce: true,
      };
    }
    list.push({ ...object, path });
  }
  return {
    width: WIDTH,
    height: HEIGHT,
    fps: 500,
    durationS,
    seed,
    background: condition === 'textured' ? { kind: 'texture', level: 100, contrast: 40, cellPx: 12 } : { kind: 'flat', level: 100 },
    objects: list,
  };
}

function extent(o: { shape: SceneObject['shape']; size: number; orientation?: 'horizontal' | 'vertical' }): [number, number] {
  if (o.shape !== 'bar') return [o.size, o.size];
  return o.orientation === 'vertical' ? [o.size / 5, o.size] : [o.size, o.size / 5];
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/** A small seeded PRNG (mulberry32) so that scenes are reproducible. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
