import { from, lastValueFrom, toArray } from 'rxjs';
import { concatBatches, type EventBatch } from '../../src/events/eventBatch.ts';
import type { TruthBox } from '../../src/readout/evaluate.ts';
import type { Frame } from '../../src/video/frame.ts';
import { framesToEvents } from '../../src/video/framesToEvents.ts';
import type { DvsPresetName } from '../../src/video/dvsModelOptions.ts';

/**
 * A synthetic ground-truth scene: 1–5 solid squares, each bouncing inside its own region of the frame (so
 * objects never overlap), rendered with anti-aliased edges and turned into events by the DVS model. Each square
 * is still until its motion onset, so the latency from onset to first detection can be measured.
 */
export interface SceneOptions {
  readonly seed: number;
  readonly objects: number;
  readonly width?: number;
  readonly height?: number;
  readonly durationUs?: number;
  readonly frameUs?: number;
  readonly preset?: DvsPresetName;
}

export interface Scene {
  readonly events: EventBatch;
  readonly truthAt: (t: number) => TruthBox[];
  readonly onsetUs: Map<number, number>;
  readonly durationUs: number;
}

interface Square {
  id: number;
  size: number;
  x0: number;
  y0: number;
  vx: number;
  vy: number;
  onset: number;
  region: { x: number; y: number; w: number; h: number };
  luma: number;
}

export async function movingSquares(options: SceneOptions): Promise<Scene> {
  const width = options.width ?? 240;
  const height = options.height ?? 180;
  const durationUs = options.durationUs ?? 600_000;
  const frameUs = options.frameUs ?? 1000;
  const random = mulberry32(options.seed);
  const cols = Math.ceil(Math.sqrt(options.objects));
  const rows = Math.ceil(options.objects / cols);
  const squares: Square[] = [];
  for (let i = 0; i < options.objects; i++) {
    const region = {
      x: ((i % cols) * width) / cols,
      y: (Math.floor(i / cols) * height) / rows,
      w: width / cols,
      h: height / rows,
    };
    const size = Math.round(Math.min(region.w, region.h) * (0.25 + 0.15 * random()));
    const speed = 60 + 140 * random();
    const angle = random() * 2 * Math.PI;
    squares.push({
      id: i + 1,
      size,
      x0: region.x + random() * (region.w - size),
      y0: region.y + random() * (region.h - size),
      vx: speed * Math.cos(angle),
      vy: speed * Math.sin(angle),
      onset: 50_000 + Math.round(random() * 50_000),
      region,
      luma: random() < 0.5 ? 200 : 30,
    });
  }
  const position = (s: Square, t: number) => {
    const dt = Math.max(0, t - s.onset) / 1e6;
    return {
      x: s.region.x + bounce(s.x0 - s.region.x + s.vx * dt, s.region.w - s.size),
      y: s.region.y + bounce(s.y0 - s.region.y + s.vy * dt, s.region.h - s.size),
    };
  };
  const frames: Frame[] = [];
  for (let t = 0; t <= durationUs; t += frameUs) {
    const data = new Uint8Array(width * height).fill(100);
    for (const s of squares) {
      const { x, y } = position(s, t);
      drawSquare(data, width, height, x, y, s.size, 100, s.luma);
    }
    frames.push({ data, width, height, t });
  }
  const batches = await lastValueFrom(
    from(frames).pipe(framesToEvents({ seed: options.seed, preset: options.preset ?? 'clean' }), toArray()),
  );
  return {
    events: concatBatches(batches, { width, height }),
    truthAt: (t) =>
      squares
        .filter((s) => t > s.onset)
        .map((s) => ({ id: s.id, ...position(s, t), w: s.size, h: s.size })),
    onsetUs: new Map(squares.map((s) => [s.id, s.onset])),
    durationUs,
  };
}

/** Position on a segment [0, span] for a point moving freely and reflecting at both ends. */
function bounce(p: number, span: number): number {
  const period = 2 * span;
  const m = ((p % period) + period) % period;
  return m <= span ? m : period - m;
}

/** Draws a square with anti-aliased edges: each pixel takes the covered fraction of the square's luma. */
function drawSquare(data: Uint8Array, width: number, height: number, x: number, y: number, size: number, bg: number, fg: number): void {
  const x0 = Math.max(0, Math.floor(x));
  const y0 = Math.max(0, Math.floor(y));
  const x1 = Math.min(width, Math.ceil(x + size));
  const y1 = Math.min(height, Math.ceil(y + size));
  for (let py = y0; py < y1; py++) {
    const cy = Math.min(py + 1, y + size) - Math.max(py, y);
    for (let px = x0; px < x1; px++) {
      const cx = Math.min(px + 1, x + size) - Math.max(px, x);
      const cover = Math.max(0, cx) * Math.max(0, cy);
      data[py * width + px] = Math.round(bg + (fg - bg) * cover);
    }
  }
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
