import type { EventBatch } from '../events/eventBatch.ts';

/**
 * Pure kernels that paint events into a grey image (one byte per pixel, row-major).
 * - 'polarity': the last event at a pixel decides it, ON = 255, OFF = 0; pixels without events stay 128.
 * - 'count': events per pixel, later scaled so the busiest pixel is 255 (see finishCountImage).
 */
export const eventImageStyles = ['polarity', 'count'] as const;
export type EventImageStyle = (typeof eventImageStyles)[number];

export const POLARITY_BACKGROUND = 128;

export function paintPolarity(batch: EventBatch, start: number, end: number, image: Uint8Array, width: number): void {
  const { x, y, p } = batch;
  for (let i = start; i < end; i++) image[y[i] * width + x[i]] = p[i] ? 255 : 0;
}

export function addCounts(batch: EventBatch, start: number, end: number, counts: Uint32Array, width: number): void {
  const { x, y } = batch;
  for (let i = start; i < end; i++) counts[y[i] * width + x[i]]++;
}

/** Scales counts to 0..255 (the busiest pixel becomes 255; an empty window stays black). */
export function finishCountImage(counts: Uint32Array, image: Uint8Array): void {
  let max = 0;
  for (let i = 0; i < counts.length; i++) if (counts[i] > max) max = counts[i];
  const scale = max > 0 ? 255 / max : 0;
  for (let i = 0; i < counts.length; i++) image[i] = Math.round(counts[i] * scale);
}

/** Index of the first event with t >= limit in the sorted range start..end (binary search). */
export function firstAtOrAfter(t: Float64Array, start: number, end: number, limit: number): number {
  let lo = start;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid] < limit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
