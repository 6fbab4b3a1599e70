import { existsSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import type { SourceSpec } from './pipelineSpec.ts';

const VIDEO_EXTENSIONS = new Set(['.mp4', '.mov', '.avi', '.mkv', '.webm', '.m4v', '.mpg', '.mpeg', '.y4m', '.gif']);

/**
 * `--input PATH` as a pipeline source: `webcam` or `webcam:DEVICE`, a folder of images, a video file (by
 * extension), or else an event file (format detected from its header). Relative paths are relative to the
 * working directory, as usual on a command line.
 */
export function inputSource(arg: string): SourceSpec {
  if (arg === 'webcam' || arg.startsWith('webcam:')) {
    return { type: 'webcam', device: arg.length > 7 ? arg.slice(7) : 'default' };
  }
  const path = resolve(arg);
  if (existsSync(path) && statSync(path).isDirectory()) return { type: 'images', path, fps: undefined };
  if (VIDEO_EXTENSIONS.has(extname(path).toLowerCase())) return { type: 'video', path, fps: undefined };
  return { type: 'file', path, format: undefined, width: undefined, height: undefined };
}
