import { SeededRandom } from '../video/random.ts';
import type { SceneBackground } from './sceneSpec.ts';

/**
 * The static background of a scene as grey levels: flat, or a smooth random texture (value noise: random
 * levels on a grid of `cellPx` cells, interpolated with a smoothstep), so that moving objects occlude
 * structure as they would in a real scene.
 */
export function renderBackground(background: SceneBackground | undefined, width: number, height: number, seed: number): Float32Array {
  const canvas = new Float32Array(width * height);
  if (!background || background.kind === 'flat') return canvas.fill(background?.level ?? 0);
  const cell = background.cellPx ?? 16;
  const gw = Math.ceil(width / cell) + 2;
  const gh = Math.ceil(height / cell) + 2;
  const random = new SeededRandom(seed ^ 0x5eed);
  const grid = new Float32Array(gw * gh);
  for (let i = 0; i < grid.length; i++) grid[i] = 2 * random.next() - 1;
  const smooth = (u: number) => u * u * (3 - 2 * u);
  for (let y = 0; y < height; y++) {
    const gy = y / cell;
    const iy = Math.floor(gy);
    const sy = smooth(gy - iy);
    for (let x = 0; x < width; x++) {
      const gx = x / cell;
      const ix = Math.floor(gx);
      const sx = smooth(gx - ix);
      const a = grid[iy * gw + ix] + sx * (grid[iy * gw + ix + 1] - grid[iy * gw + ix]);
      const b = grid[(iy + 1) * gw + ix] + sx * (grid[(iy + 1) * gw + ix + 1] - grid[(iy + 1) * gw + ix]);
      const v = background.level + background.contrast * (a + sy * (b - a));
      canvas[y * width + x] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
  return canvas;
}
