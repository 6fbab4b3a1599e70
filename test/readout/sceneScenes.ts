import type { SceneSpec } from '../../src/scenes/sceneSpec.ts';

/**
 * Scene specs for the video helper's scene generator: `objects` squares and discs (20–40 px) moving in straight
 * lines at 60–200 px/s and bouncing off the frame edges, on a flat grey background, 240 × 180 at 500 fps.
 * Objects may cross each other, unlike the moving-squares scenes.
 */
export function bouncingShapes(seed: number, objects: number, durationS = 0.6): SceneSpec {
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const width = 240;
  const height = 180;
  return {
    width,
    height,
    fps: 500,
    durationS,
    seed,
    background: { kind: 'flat', level: 100 },
    objects: Array.from({ length: objects }, () => {
      const size = Math.round(20 + 20 * random());
      const speed = 60 + 140 * random();
      const angle = random() * 2 * Math.PI;
      return {
        shape: random() < 0.5 ? ('square' as const) : ('disc' as const),
        size,
        level: random() < 0.5 ? 200 : 30,
        path: {
          kind: 'linear' as const,
          x: size / 2 + random() * (width - size),
          y: size / 2 + random() * (height - size),
          vx: speed * Math.cos(angle),
          vy: speed * Math.sin(angle),
          bounce: true,
        },
      };
    }),
  };
}
