import { statSync } from 'node:fs';
import { extname } from 'node:path';
import { formatByExtension } from '../formats/registry.ts';

/** What an input argument names. `webcam[:DEVICE]` is a camera; a folder is an image sequence. */
export interface InputDescription {
  kind: 'file' | 'video' | 'images' | 'webcam';
  path?: string;
  device?: string;
}

/** Extensions read as video through ffmpeg (anything else that is not a folder is an event file). */
export const VIDEO_EXTENSIONS: readonly string[] = [
  '.mp4', '.m4v', '.mov', '.avi', '.mkv', '.webm', '.y4m', '.mpg', '.mpeg', '.ts', '.mts', '.m2ts',
  '.wmv', '.flv', '.ogv', '.3gp', '.gif', '.mjpeg', '.mjpg', '.h264', '.h265', '.hevc', '.nut',
];

/**
 * Classifies a CLI input: `webcam` / `webcam:DEVICE` → webcam; an existing folder → images; a known video
 * extension → video; an event format's extension (format registry) or anything else → an event file (whose
 * format is then sniffed from its header).
 */
export function describeInput(arg: string): InputDescription {
  const webcam = /^webcam(?::(.*))?$/.exec(arg);
  if (webcam) return webcam[1] !== undefined && webcam[1] !== '' ? { kind: 'webcam', device: webcam[1] } : { kind: 'webcam' };
  if (isDirectory(arg)) return { kind: 'images', path: arg };
  if (formatByExtension(arg) === undefined && VIDEO_EXTENSIONS.includes(extname(arg).toLowerCase())) {
    return { kind: 'video', path: arg };
  }
  return { kind: 'file', path: arg };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
