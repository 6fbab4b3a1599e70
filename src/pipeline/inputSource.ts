import { resolve } from 'node:path';
import { describeInput } from '../sources/parseInput.ts';
import type { SourceSpec } from './pipelineSpec.ts';

/**
 * `--input ARG` as a pipeline source, classified like every other command's input (`describeInput`):
 * `webcam[:DEVICE]`, `nats://HOST:PORT/STREAM`, a folder of images, a video file, or an event file (format
 * sniffed from its header).
 * Relative paths are relative to the working directory, as usual on a command line.
 */
export function inputSource(arg: string): SourceSpec {
  const input = describeInput(arg);
  switch (input.kind) {
    case 'webcam':
      return { type: 'webcam', device: input.device ?? 'default' };
    case 'nats':
      return { type: 'nats', url: input.url!, stream: input.stream!, replay: input.replay, idleTimeoutMs: undefined };
    case 'images':
    case 'video':
      return { type: input.kind, path: resolve(input.path ?? arg), fps: undefined };
    default:
      return { type: 'file', path: resolve(input.path ?? arg), format: undefined, width: undefined, height: undefined };
  }
}
