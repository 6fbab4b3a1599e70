import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ColormapName } from './colormaps.ts';
import type { DetectionBox } from './detectionFrame.ts';
import { overlayBoxes } from './overlayBoxes.ts';
import { renderGrid, type GridImage } from './renderGrid.ts';
import type { SpikeMapVideo } from './spikeMapVideo.ts';
import { writePng } from './writePng.ts';

export interface SpikeMapWriterOptions {
  readonly dir: string;
  readonly grid: GridImage;
  readonly colormap: ColormapName;
  /** Write every n-th map as PNG. */
  readonly every: number;
  /** Stop writing PNGs after this many (0 = no limit). */
  readonly maxFiles: number;
  readonly video?: SpikeMapVideo;
}

/**
 * Writes spike maps as `DIR/000123_t<µs>.png` (index, then the map's time in µs), with the current boxes drawn
 * on top, and feeds the same images to an optional mp4.
 */
export class SpikeMapWriter {
  private index = 0;
  written = 0;
  private ready: Promise<unknown> | undefined;
  /** The image buffer every map is drawn into, when no video keeps frames (writePng copies it at once). */
  private canvas: Uint8Array | undefined;

  constructor(readonly options: SpikeMapWriterOptions) {}

  async write(t: number, values: ArrayLike<number>, boxes: readonly DetectionBox[] | undefined): Promise<void> {
    const o = this.options;
    this.ready ??= mkdir(o.dir, { recursive: true });
    await this.ready;
    const index = this.index++;
    const wantPng = index % o.every === 0 && (o.maxFiles === 0 || this.written < o.maxFiles);
    if (!wantPng && !o.video) return;
    const rgb = renderGrid(values, o.grid, o.colormap, 0, this.canvas);
    if (!o.video) this.canvas = rgb;
    if (boxes && boxes.length > 0) overlayBoxes(rgb, o.grid.width, o.grid.height, boxes);
    const writes: Promise<void>[] = [];
    if (wantPng) {
      this.written++;
      const name = `${String(index).padStart(6, '0')}_t${Math.round(t)}.png`;
      writes.push(writePng(join(o.dir, name), rgb, o.grid.width, o.grid.height));
    }
    if (o.video) writes.push(o.video.write(rgb));
    await Promise.all(writes);
  }
}
