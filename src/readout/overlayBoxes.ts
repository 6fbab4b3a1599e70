import type { DetectionBox } from './detectionFrame.ts';

/** Draws box outlines (`thickness` px, clipped to the image) into an RGB image in place. */
export function overlayBoxes(
  rgb: Uint8Array,
  width: number,
  height: number,
  boxes: readonly DetectionBox[],
  color: readonly [number, number, number] = [0, 255, 0],
  thickness = 2,
): Uint8Array {
  for (const b of boxes) {
    const x0 = Math.max(0, Math.round(b.x));
    const y0 = Math.max(0, Math.round(b.y));
    const x1 = Math.min(width, Math.round(b.x + b.w));
    const y1 = Math.min(height, Math.round(b.y + b.h));
    if (x1 <= x0 || y1 <= y0) continue;
    for (let y = y0; y < y1; y++) {
      const edgeRow = y < y0 + thickness || y >= y1 - thickness;
      for (let x = x0; x < x1; x++) {
        if (!edgeRow && x >= x0 + thickness && x < x1 - thickness) continue;
        const o = (y * width + x) * 3;
        rgb[o] = color[0];
        rgb[o + 1] = color[1];
        rgb[o + 2] = color[2];
      }
    }
  }
  return rgb;
}
