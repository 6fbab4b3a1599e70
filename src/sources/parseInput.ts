import { statSync } from 'node:fs';
import { extname } from 'node:path';
import { formatByExtension } from '../formats/registry.ts';

/**
 * What an input argument names. `webcam[:DEVICE]` is a camera; a folder is an image sequence;
 * `nats://HOST:PORT/STREAM` is the event stream another spikeflow process publishes on a NATS server.
 */
export interface InputDescription {
  kind: 'file' | 'video' | 'images' | 'webcam' | 'nats';
  path?: string;
  device?: string;
  /** For `nats`: the server URL, the stream name and where to replay from (`?replay=all|SEQUENCE|ISO-TIME`). */
  url?: string;
  stream?: string;
  replay?: string;
}

/** Extensions read as video through ffmpeg (anything else that is not a folder is an event file). */
export const VIDEO_EXTENSIONS: readonly string[] = [
  '.mp4', '.m4v', '.mov', '.avi', '.mkv', '.webm', '.y4m', '.mpg', '.mpeg', '.ts', '.mts', '.m2ts',
  '.wmv', '.flv', '.ogv', '.3gp', '.gif', '.mjpeg', '.mjpg', '.h264', '.h265', '.hevc', '.nut',
];

/**
 * Classifies a CLI input: `webcam` / `webcam:DEVICE` → webcam; `nats://HOST:PORT/STREAM[?replay=…]` → nats; an existing
 * folder → images; a known video
 * extension → video; an event format's extension (format registry) or anything else → an event file (whose
 * format is then sniffed from its header).
 */
export function describeInput(arg: string): InputDescription {
  const webcam = /^webcam(?::(.*))?$/.exec(arg);
  if (webcam) return webcam[1] !== undefined && webcam[1] !== '' ? { kind: 'webcam', device: webcam[1] } : { kind: 'webcam' };
  const nats = /^(nats:\/\/[^/]+)\/([^/?]+)(?:\?replay=([^&]+))?$/.exec(arg);
  if (nats) return { kind: 'nats', url: nats[1]!, stream: nats[2]!, ...(nats[3] ? { replay: decodeURIComponent(nats[3]) } : {}) };
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
