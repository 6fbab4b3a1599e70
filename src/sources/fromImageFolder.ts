import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { defer, type Observable } from 'rxjs';
import sharp from 'sharp';
import { ConfigError, DecodeError } from '../errors.ts';
import type { EventBatch } from '../events/eventBatch.ts';
import type { Frame } from '../video/frame.ts';
import { frameEventBatches } from '../video/frameEventBatches.ts';
import { framesToEvents } from '../video/framesToEvents.ts';
import { fromAsyncBatches } from './fromAsyncBatches.ts';
import { checkFrameSourceOptions, type FrameEventSourceOptions, type FrameSourceOptions } from './frameSourceOptions.ts';

/** File extensions read as images (what sharp decodes). */
export const IMAGE_EXTENSIONS: readonly string[] = ['.png', '.jpg', '.jpeg', '.tif', '.tiff', '.webp', '.gif', '.avif'];

/** A file of per-image times in the folder: lines `<t_us>` (in name order) or `<file name> <t_us>`. */
export const TIMESTAMPS_FILE = 'timestamps.txt';

/**
 * Frames from a folder of images, in natural name order (`img2` before `img10`), decoded by sharp to 8-bit
 * luma (alpha dropped, colour converted to grey), cropped and resized as asked. Times come from, in order of
 * precedence: `options.fps` (frame n at n/fps s, from 0), a `timestamps.txt` in the folder, or file names
 * `t_<µs>.<ext>` (times kept as written). Cold and pull-paced: the next image is decoded only after the
 * previous frame was handled.
 */
export function fromImageFolderFrames(dir: string, options: FrameSourceOptions = {}): Observable<Frame> {
  checkFrameSourceOptions(options);
  return defer(() => fromAsyncBatches(() => readFolder(dir, options)));
}

/** DVS events of a folder of images. */
export function fromImageFolder(dir: string, options: FrameEventSourceOptions = {}): Observable<EventBatch> {
  return fromImageFolderFrames(dir, options).pipe(framesToEvents(options));
}

/** The events of a folder of images as a pull-paced async iterable (the next image is read when asked for). */
export function imageFolderEventBatches(dir: string, options: FrameEventSourceOptions = {}): AsyncGenerator<EventBatch, void, undefined> {
  checkFrameSourceOptions(options);
  return frameEventBatches(readFolder(dir, options), options);
}

async function* readFolder(dir: string, options: FrameSourceOptions): AsyncGenerator<Frame, void, undefined> {
  const names = await listImages(dir);
  const times = await frameTimes(dir, names, options.fps);
  let first: Frame | undefined;
  for (let n = 0; n < names.length; n++) {
    const file = join(dir, names[n]);
    const frame = { ...(await decodeImage(file, options)), t: times[n] };
    if (first && (frame.width !== first.width || frame.height !== first.height)) {
      throw new DecodeError(file, 0, `image is ${frame.width}x${frame.height}, the first image was ${first.width}x${first.height} (give --width/--height to resize all)`);
    }
    first ??= frame;
    yield frame;
  }
}

/** The folder's image files in natural order. */
export async function listImages(dir: string): Promise<string[]> {
  const info = await stat(dir).catch((error: unknown) => {
    throw new DecodeError(dir, 0, `cannot open folder: ${(error as Error).message}`, { cause: error });
  });
  if (!info.isDirectory()) throw new DecodeError(dir, 0, 'not a folder of images');
  const names = (await readdir(dir)).filter((name) => IMAGE_EXTENSIONS.includes(extname(name).toLowerCase()));
  if (names.length === 0) throw new DecodeError(dir, 0, `no images (${IMAGE_EXTENSIONS.join(' ')}) in the folder`);
  return names.sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/** Each image's time in µs (see fromImageFolderFrames for the sources of times). */
export async function frameTimes(dir: string, names: readonly string[], fps: number | undefined): Promise<number[]> {
  if (fps !== undefined) return names.map((_, n) => Math.round((n * 1e6) / fps));
  const listed = await readFile(join(dir, TIMESTAMPS_FILE), 'utf8').catch(() => undefined);
  const times = listed !== undefined ? parseTimestampsFile(join(dir, TIMESTAMPS_FILE), listed, names) : timesFromNames(names);
  if (!times) {
    throw new ConfigError('fps', undefined, `a frame rate, or image names t_<µs>.png, or a ${TIMESTAMPS_FILE} in ${dir}`);
  }
  for (let n = 1; n < times.length; n++) {
    if (times[n] < times[n - 1]) {
      throw new ConfigError(`time of ${names[n]}`, times[n], `>= the time of ${names[n - 1]} (${times[n - 1]} µs)`);
    }
  }
  return times;
}

function timesFromNames(names: readonly string[]): number[] | undefined {
  const times: number[] = [];
  for (const name of names) {
    const match = /^t_(\d+)\./.exec(name);
    if (!match) return undefined;
    times.push(Number(match[1]));
  }
  return times;
}

function parseTimestampsFile(path: string, text: string, names: readonly string[]): number[] {
  const byName = new Map<string, number>();
  const inOrder: number[] = [];
  let offset = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const lineOffset = offset;
    offset += Buffer.byteLength(raw, 'utf8') + 1;
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(/[\s,]+/);
    const t = Number(fields[fields.length - 1]);
    if (!Number.isFinite(t) || fields.length > 2) {
      throw new DecodeError(path, lineOffset, `expected "<t_us>" or "<file> <t_us>", found ${JSON.stringify(line)}`);
    }
    if (fields.length === 2) byName.set(fields[0], t);
    else inOrder.push(t);
  }
  if (byName.size > 0) {
    return names.map((name) => {
      const t = byName.get(name);
      if (t === undefined) throw new DecodeError(path, 0, `no time listed for ${name}`);
      return t;
    });
  }
  if (inOrder.length < names.length) {
    throw new DecodeError(path, offset, `${inOrder.length} times listed for ${names.length} images`);
  }
  return inOrder.slice(0, names.length);
}

/** One image as 8-bit luma, cropped then resized. */
export async function decodeImage(file: string, options: FrameSourceOptions): Promise<Omit<Frame, 't'>> {
  try {
    let image = sharp(file).removeAlpha().greyscale();
    if (options.crop) {
      const { x, y, width, height } = options.crop;
      image = image.extract({ left: x, top: y, width, height });
    }
    if (options.width !== undefined || options.height !== undefined) {
      image = image.resize(options.width, options.height, { fit: options.width && options.height ? 'fill' : 'inside' });
    }
    const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
    const pixels = info.width * info.height;
    const luma = new Uint8Array(pixels);
    if (info.channels === 1) luma.set(data.subarray(0, pixels));
    else for (let i = 0; i < pixels; i++) luma[i] = data[i * info.channels];
    return { data: luma, width: info.width, height: info.height };
  } catch (error) {
    throw new DecodeError(file, 0, `cannot decode the image: ${(error as Error).message}`, { cause: error });
  }
}
