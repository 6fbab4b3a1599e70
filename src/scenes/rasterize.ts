/**
 * Anti-aliased drawing into a Float32 luma canvas: each pixel takes the fraction of its area the shape covers,
 * so sub-pixel motion changes intensities smoothly (as a real lens would), which matters for event timing.
 */

/** Blends `level` into the axis-aligned rectangle [x0, x1) × [y0, y1) with exact area coverage. */
export function fillRect(canvas: Float32Array, width: number, height: number, x0: number, y0: number, x1: number, y1: number, level: number): void {
  const px0 = Math.max(0, Math.floor(x0));
  const px1 = Math.min(width, Math.ceil(x1));
  const py0 = Math.max(0, Math.floor(y0));
  const py1 = Math.min(height, Math.ceil(y1));
  for (let py = py0; py < py1; py++) {
    const cy = Math.min(py + 1, y1) - Math.max(py, y0);
    if (cy <= 0) continue;
    for (let px = px0; px < px1; px++) {
      const c = cy * (Math.min(px + 1, x1) - Math.max(px, x0));
      if (c <= 0) continue;
      const i = py * width + px;
      canvas[i] += c * (level - canvas[i]);
    }
  }
}

/** Blends `level` into a disc; coverage falls linearly over one pixel across the rim. */
export function fillDisc(canvas: Float32Array, width: number, height: number, cx: number, cy: number, radius: number, level: number): void {
  const px0 = Math.max(0, Math.floor(cx - radius - 1));
  const px1 = Math.min(width, Math.ceil(cx + radius + 1));
  const py0 = Math.max(0, Math.floor(cy - radius - 1));
  const py1 = Math.min(height, Math.ceil(cy + radius + 1));
  for (let py = py0; py < py1; py++) {
    const dy = py + 0.5 - cy;
    for (let px = px0; px < px1; px++) {
      const dx = px + 0.5 - cx;
      let c = radius + 0.5 - Math.sqrt(dx * dx + dy * dy);
      if (c <= 0) continue;
      if (c > 1) c = 1;
      const i = py * width + px;
      canvas[i] += c * (level - canvas[i]);
    }
  }
}
