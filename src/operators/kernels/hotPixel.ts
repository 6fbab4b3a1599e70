import type { EventBatch } from '../../events/eventBatch.ts';
import type { Geometry } from '../../events/geometry.ts';
import { gather, scratchIndices } from './gather.ts';
import { checkSameGeometry } from './pixelGeometry.ts';

export interface HotPixelParams {
  /** Pixels always dropped, as [x, y] pairs (pixels outside the sensor are ignored). */
  readonly pixels: readonly (readonly [number, number])[];
  /** Length of the learning window in µs, starting at the stream's first event; 0 turns learning off. */
  readonly learnUs: number;
  /** A pixel is hot when its event count over the learning window exceeds `factor` × the mean count. */
  readonly factor: number;
}

export interface HotPixelState extends Geometry {
  /** 1 for a pixel whose events are dropped. */
  readonly hot: Uint8Array;
  /** Event counts per pixel while learning; undefined once learned (or when learning is off). */
  counts: Uint32Array | undefined;
  /** The learning window ends at this time (set by the first event). */
  learnEnd: number;
  /** Pixels found hot by learning, as y*width+x, sorted; filled when learning ends. */
  learned: number[];
  indices: Uint32Array;
}

export function createHotPixelState(geometry: Geometry, params: HotPixelParams): HotPixelState {
  const { width, height } = geometry;
  const hot = new Uint8Array(width * height);
  for (const [px, py] of params.pixels) {
    if (px >= 0 && px < width && py >= 0 && py < height) hot[py * width + px] = 1;
  }
  const counts = params.learnUs > 0 ? new Uint32Array(width * height) : undefined;
  return { width, height, hot, counts, learnEnd: Number.NaN, learned: [], indices: new Uint32Array(0) };
}

/**
 * Drops the events of listed pixels and, after learning, of learned hot pixels. While learning, events of
 * not-listed pixels pass (a stream is not held back for the learning window); when the first event at or
 * after the window's end arrives, pixels whose count exceeds `factor` × the mean count of the pixels that
 * fired at all become hot. (The mean over firing pixels, not over the whole sensor, so that a mostly dark
 * scene does not make every active pixel "hot".) Equal counts compare as rates: the window is the same.
 */
export function hotPixelKernel(batch: EventBatch, state: HotPixelState, params: HotPixelParams): EventBatch {
  checkSameGeometry(state, batch, 'hotPixel');
  const n = batch.length;
  const indices = (state.indices = scratchIndices(state.indices, n));
  const { t, x, y } = batch;
  const hot = state.hot;
  const width = state.width;
  let kept = 0;
  let i = 0;
  const counts = state.counts;
  if (counts && n > 0) {
    if (Number.isNaN(state.learnEnd)) state.learnEnd = t[0] + params.learnUs;
    const end = state.learnEnd;
    for (; i < n && t[i] < end; i++) {
      const c = y[i] * width + x[i];
      counts[c]++;
      if (hot[c] === 0) indices[kept++] = i;
    }
    if (i < n) finishLearning(state, counts, params.factor);
  }
  for (; i < n; i++) {
    if (hot[y[i] * width + x[i]] === 0) indices[kept++] = i;
  }
  return gather(batch, indices, kept);
}

function finishLearning(state: HotPixelState, counts: Uint32Array, factor: number): void {
  let total = 0;
  let firing = 0;
  for (let c = 0; c < counts.length; c++) {
    if (counts[c] > 0) {
      total += counts[c];
      firing++;
    }
  }
  const limit = firing > 0 ? (factor * total) / firing : Infinity;
  for (let c = 0; c < counts.length; c++) {
    if (counts[c] > limit) {
      state.hot[c] = 1;
      state.learned.push(c);
    }
  }
  state.counts = undefined;
}
