import type { ScenePath } from './sceneSpec.ts';

/**
 * The centre of an object at time t (s). `halfW`/`halfH` are the object's half extents, used by bouncing
 * linear paths to keep the object inside the `width` × `height` frame.
 */
export function positionAt(path: ScenePath, t: number, frame: { width: number; height: number }, halfW: number, halfH: number): [number, number] {
  switch (path.kind) {
    case 'linear': {
      const x = path.x + path.vx * t;
      const y = path.y + path.vy * t;
      if (!path.bounce) return [x, y];
      return [reflect(x, halfW, frame.width - halfW), reflect(y, halfH, frame.height - halfH)];
    }
    case 'circle': {
      const angle = (2 * Math.PI * t) / path.periodS + (path.phase ?? 0);
      return [path.cx + path.radius * Math.cos(angle), path.cy + path.radius * Math.sin(angle)];
    }
    case 'waypoints': {
      const points = path.points;
      if (t <= points[0][0]) return [points[0][1], points[0][2]];
      for (let i = 1; i < points.length; i++) {
        const [t1, x1, y1] = points[i];
        if (t <= t1) {
          const [t0, x0, y0] = points[i - 1];
          const s = t1 > t0 ? (t - t0) / (t1 - t0) : 1;
          return [x0 + s * (x1 - x0), y0 + s * (y1 - y0)];
        }
      }
      const last = points[points.length - 1];
      return [last[1], last[2]];
    }
  }
}

/** Folds `v` into [lo, hi] like a ball bouncing between two walls (a triangle wave). */
function reflect(v: number, lo: number, hi: number): number {
  const span = hi - lo;
  if (span <= 0) return (lo + hi) / 2;
  const period = 2 * span;
  const u = (((v - lo) % period) + period) % period;
  return lo + (u <= span ? u : period - u);
}
