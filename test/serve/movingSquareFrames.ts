import type { CameraFrame } from '../../src/serve/cameraFrameMessage.ts';

/**
 * Frame k of a bright `size`² square on a dark background, its left edge at `x0 + k * step` and top at `y`
 * (processing pixels), 30 frames/s. The camera is `scale` times larger than the processing size.
 */
export function squareFrame(k: number, options: { width?: number; height?: number; size?: number; x0?: number; step?: number; y?: number; scale?: number } = {}): CameraFrame {
  const { width = 160, height = 120, size = 20, x0 = 10, step = 2, y = 50, scale = 2 } = options;
  const data = new Uint8Array(width * height).fill(24);
  const left = x0 + k * step;
  for (let row = y; row < y + size; row++) data.fill(235, row * width + left, row * width + left + size);
  return { data, width, height, cameraWidth: width * scale, cameraHeight: height * scale, frameId: k + 1, t: Math.round((k * 1e6) / 30) };
}
