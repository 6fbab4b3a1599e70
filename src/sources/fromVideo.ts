import { defer, type Observable } from 'rxjs';
import type { EventBatch } from '../events/eventBatch.ts';
import type { Frame } from '../video/frame.ts';
import { framesToEvents } from '../video/framesToEvents.ts';
import { frameEventBatches } from '../video/frameEventBatches.ts';
import { ffmpegFrameIterator, ffmpegFrames } from './ffmpegFrames.ts';
import { checkFrameSourceOptions, type FrameEventSourceOptions, type FrameSourceOptions } from './frameSourceOptions.ts';

export interface VideoSourceOptions extends FrameSourceOptions {
  /** ffmpeg binary (default: system ffmpeg, else the bundled one; see `resolveFfmpeg`). */
  readonly ffmpegPath?: string;
}

/**
 * Frames of a video file of any codec ffmpeg reads, as 8-bit luma, the first frame at t = 0 µs. Cold: ffmpeg
 * starts on subscribe and is killed on unsubscribe; the pipe's back-pressure paces decoding.
 */
export function fromVideoFrames(path: string, options: VideoSourceOptions = {}): Observable<Frame> {
  checkFrameSourceOptions(options);
  return defer(() => ffmpegFrames({ inputArgs: ['-i', path], label: path, options, ffmpegPath: options.ffmpegPath }));
}

/** DVS events of a video file (frames through `framesToEvents`). */
export function fromVideo(path: string, options: VideoSourceOptions & FrameEventSourceOptions = {}): Observable<EventBatch> {
  return fromVideoFrames(path, options).pipe(framesToEvents(options));
}

/**
 * The events of a video as a pull-paced async iterable: ffmpeg is paused while the consumer is busy, so a slow
 * pipeline never loses frames nor buffers the video (a video file is a cold source, like an event file).
 */
export function videoEventBatches(path: string, options: VideoSourceOptions & FrameEventSourceOptions = {}): AsyncGenerator<EventBatch, void, undefined> {
  checkFrameSourceOptions(options);
  return frameEventBatches(ffmpegFrameIterator({ inputArgs: ['-i', path], label: path, options, ffmpegPath: options.ffmpegPath }), options);
}
