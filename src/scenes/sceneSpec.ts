import { ConfigError } from '../errors.ts';

/**
 * A synthetic scene (JSON-serialisable): shapes moving over a flat or textured background, seen by a static
 * camera at `fps`, optionally with Gaussian sensor noise. Positions are in pixels (x right, y down), speeds in
 * pixels per second, times in seconds from the first frame.
 */
export interface SceneSpec {
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  /** Length of the scene; `frames` wins when both are given. */
  readonly durationS?: number;
  readonly frames?: number;
  /** Seeds the texture and the sensor noise (default 0). */
  readonly seed?: number;
  readonly background?: SceneBackground;
  /** σ of per-pixel, per-frame Gaussian noise in 8-bit levels (default 0). */
  readonly noiseSigma?: number;
  readonly objects: readonly SceneObject[];
}

export type SceneBackground =
  | { readonly kind: 'flat'; readonly level: number }
  /** Smooth random blotches of about `cellPx` pixels, `level ± contrast`. */
  | { readonly kind: 'texture'; readonly level: number; readonly contrast: number; readonly cellPx?: number };

export interface SceneObject {
  readonly shape: 'square' | 'disc' | 'bar';
  /** Square side, disc diameter, bar length (px). */
  readonly size: number;
  /** Bar thickness (px; default size / 5). */
  readonly thickness?: number;
  /** Bar direction (default horizontal). */
  readonly orientation?: 'horizontal' | 'vertical';
  /** Grey level 0..255. */
  readonly level: number;
  readonly path: ScenePath;
  /** The object is present from `startS` (default 0) until `endS` (default forever). */
  readonly startS?: number;
  readonly endS?: number;
}

/** Where an object's centre is at time t (s). */
export type ScenePath =
  /** From (x, y) at speed (vx, vy); with `bounce`, reflected off the frame edges so it stays fully visible. */
  | { readonly kind: 'linear'; readonly x: number; readonly y: number; readonly vx: number; readonly vy: number; readonly bounce?: boolean }
  | { readonly kind: 'circle'; readonly cx: number; readonly cy: number; readonly radius: number; readonly periodS: number; readonly phase?: number }
  /** Straight segments between [tS, x, y] points (held still before the first and after the last). */
  | { readonly kind: 'waypoints'; readonly points: readonly (readonly [number, number, number])[] };

/** The number of frames of a scene. */
export function sceneFrameCount(spec: SceneSpec): number {
  return spec.frames ?? Math.max(1, Math.round((spec.durationS ?? 1) * spec.fps));
}

/** Checks a scene spec (e.g. read from JSON); ConfigErrors name the key path (`objects[1].size`). */
export function checkSceneSpec(spec: SceneSpec): void {
  const check = (path: string, value: unknown, ok: boolean, allowed: string): void => {
    if (!ok) throw new ConfigError(path, value, allowed);
  };
  const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  check('width', spec.width, Number.isInteger(spec.width) && spec.width >= 1 && spec.width <= 16384, 'an integer in 1..16384');
  check('height', spec.height, Number.isInteger(spec.height) && spec.height >= 1 && spec.height <= 16384, 'an integer in 1..16384');
  check('fps', spec.fps, isNum(spec.fps) && spec.fps > 0 && spec.fps <= 1e6, 'frames per second in (0, 1e6]');
  if (spec.frames !== undefined) check('frames', spec.frames, Number.isInteger(spec.frames) && spec.frames >= 1, 'an integer >= 1');
  if (spec.durationS !== undefined) check('durationS', spec.durationS, isNum(spec.durationS) && spec.durationS > 0, 'seconds > 0');
  if (spec.noiseSigma !== undefined) check('noiseSigma', spec.noiseSigma, isNum(spec.noiseSigma) && spec.noiseSigma >= 0, 'levels >= 0');
  const bg = spec.background;
  if (bg) {
    check('background.kind', bg.kind, bg.kind === 'flat' || bg.kind === 'texture', "'flat' or 'texture'");
    check('background.level', bg.level, isNum(bg.level) && bg.level >= 0 && bg.level <= 255, 'a grey level in 0..255');
    if (bg.kind === 'texture') {
      check('background.contrast', bg.contrast, isNum(bg.contrast) && bg.contrast >= 0, 'levels >= 0');
      if (bg.cellPx !== undefined) check('background.cellPx', bg.cellPx, isNum(bg.cellPx) && bg.cellPx >= 1, 'pixels >= 1');
    }
  }
  check('objects', spec.objects, Array.isArray(spec.objects), 'an array of objects');
  spec.objects.forEach((o, k) => {
    const at = `objects[${k}]`;
    check(`${at}.shape`, o.shape, ['square', 'disc', 'bar'].includes(o.shape), "'square', 'disc' or 'bar'");
    check(`${at}.size`, o.size, isNum(o.size) && o.size > 0, 'pixels > 0');
    if (o.thickness !== undefined) check(`${at}.thickness`, o.thickness, isNum(o.thickness) && o.thickness > 0, 'pixels > 0');
    check(`${at}.level`, o.level, isNum(o.level) && o.level >= 0 && o.level <= 255, 'a grey level in 0..255');
    const p = o.path as ScenePath | undefined;
    check(`${at}.path.kind`, p?.kind, p !== undefined && ['linear', 'circle', 'waypoints'].includes(p.kind), "'linear', 'circle' or 'waypoints'");
    if (p?.kind === 'linear') {
      for (const key of ['x', 'y', 'vx', 'vy'] as const) check(`${at}.path.${key}`, p[key], isNum(p[key]), 'a number');
    } else if (p?.kind === 'circle') {
      for (const key of ['cx', 'cy', 'radius'] as const) check(`${at}.path.${key}`, p[key], isNum(p[key]), 'a number');
      check(`${at}.path.periodS`, p.periodS, isNum(p.periodS) && p.periodS > 0, 'seconds > 0');
    } else if (p?.kind === 'waypoints') {
      const ok = Array.isArray(p.points) && p.points.length >= 1 && p.points.every((q, i) => q.length === 3 && q.every(isNum) && (i === 0 || q[0] >= p.points[i - 1][0]));
      check(`${at}.path.points`, p.points, ok, 'a non-empty list of [tS, x, y] with tS not decreasing');
    }
  });
}
