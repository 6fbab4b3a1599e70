import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { ExternalError } from '../errors.ts';
import type { EventBatch } from '../events/eventBatch.ts';
import {
  POLARITY_BACKGROUND,
  addCounts,
  finishCountImage,
  firstAtOrAfter,
  paintPolarity,
  type EventImageStyle,
} from './eventImage.ts';
import type { Sink, SinkStats } from './types.ts';

/**
 * Event frames as a PNG sequence: events are accumulated per time window into a grey image (see eventImage.ts)
 * and each window is written as `<dir>/<prefix><index>.png` (index zero-padded to 6 digits, 0 = the window of
 * the first event). Windows are aligned to multiples of `windowUs` (window k covers [k·w, (k+1)·w) µs). Windows
 * without events between busy ones are written as blank frames unless `skipEmpty` is set, so the sequence
 * plays at a steady rate. Spikes and detections are not drawn here (the readout's spike maps do that).
 * Writing returns a promise while PNGs are encoded, so a cold source waits.
 */
export interface PngSequenceSinkOptions {
  readonly dir: string;
  readonly windowUs: number;
  readonly style?: EventImageStyle;
  readonly prefix?: string;
  readonly skipEmpty?: boolean;
}

export async function pngSequenceSink(options: PngSequenceSinkOptions): Promise<Sink> {
  const { dir, windowUs } = options;
  const style = options.style ?? 'polarity';
  const prefix = options.prefix ?? 'frame-';
  const skipEmpty = options.skipEmpty ?? false;
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new ExternalError(`cannot create ${dir}: ${(error as Error).message}`, { cause: error });
  }
  let width = 0;
  let height = 0;
  let firstWindow = -1;
  let window = -1;
  let windowHasEvents = false;
  let image = new Uint8Array(0);
  let counts = new Uint32Array(0);
  let frames = 0;
  let written = 0;
  let ignored = 0;
  let pending: Promise<void> = Promise.resolve();
  let ready: { index: number; image: Uint8Array; width: number; height: number }[] = [];

  function startImage(): void {
    image = new Uint8Array(width * height);
    if (style === 'polarity') image.fill(POLARITY_BACKGROUND);
    else counts = new Uint32Array(width * height);
    windowHasEvents = false;
  }

  function finishWindow(): void {
    if (style === 'count') finishCountImage(counts, image);
    if (windowHasEvents || !skipEmpty) ready.push({ index: window - firstWindow, image, width, height });
  }

  function add(batch: EventBatch): void {
    if (batch.length === 0) return;
    if (window < 0) {
      ({ width, height } = batch);
      firstWindow = window = Math.floor(batch.t[0] / windowUs);
      startImage();
    }
    let start = 0;
    while (start < batch.length) {
      const end = firstAtOrAfter(batch.t, start, batch.length, (window + 1) * windowUs);
      if (end > start) {
        if (style === 'polarity') paintPolarity(batch, start, end, image, width);
        else addCounts(batch, start, end, counts, width);
        windowHasEvents = true;
      }
      if (end === batch.length) break;
      finishWindow();
      const next = Math.floor(batch.t[end] / windowUs);
      // Blank windows in a gap are written as one shared image (they are never modified).
      if (!skipEmpty && next > window + 1) {
        const blank = new Uint8Array(width * height).fill(style === 'polarity' ? POLARITY_BACKGROUND : 0);
        for (let k = window + 1; k < next; k++) ready.push({ index: k - firstWindow, image: blank, width, height });
      }
      window = next;
      startImage();
      start = end;
    }
  }

  function flushReady(): Promise<void> | undefined {
    if (ready.length === 0) return undefined;
    const batch = ready;
    ready = [];
    pending = pending.then(async () => {
      for (const frame of batch) {
        const path = join(dir, `${prefix}${String(frame.index).padStart(6, '0')}.png`);
        await sharp(frame.image, { raw: { width: frame.width, height: frame.height, channels: 1 } })
          .toColourspace('b-w')
          .png()
          .toFile(path)
          .catch((error: Error) => {
            throw new ExternalError(`cannot write ${path}: ${error.message}`, { cause: error });
          });
        frames++;
      }
    });
    return pending;
  }

  return {
    name: 'png-sequence',
    write: function writePngSequence(item) {
      if (item.kind !== 'events') {
        ignored++;
        return undefined;
      }
      written++;
      add(item.events);
      return flushReady();
    },
    async close(): Promise<SinkStats> {
      if (window >= 0) finishWindow();
      await (flushReady() ?? pending);
      return { written, dropped: 0, frames, ignored };
    },
  };
}
