import { defer, type Observable } from 'rxjs';
import { ConfigError } from '../errors.ts';
import type { EventBatch } from '../events/eventBatch.ts';
import type { Frame } from '../video/frame.ts';
import { framesToEvents } from '../video/framesToEvents.ts';
import { dropWhenBusy } from './dropWhenBusy.ts';
import { ffmpegFrames } from './ffmpegFrames.ts';
import { checkFrameSourceOptions, type FrameEventSourceOptions, type FrameSourceOptions } from './frameSourceOptions.ts';

export interface WebcamOptions extends FrameSourceOptions {
  /** Frames held while the pipeline is busy (1 or 2, default 2); older ones are dropped. */
  readonly queue?: number;
  /** Called with the running total of dropped frames at each drop. */
  readonly onDrop?: (dropped: number) => void;
  readonly ffmpegPath?: string;
  /** Platform whose capture API to use (default: this one). */
  readonly platform?: NodeJS.Platform;
  /** Replaces the capture arguments (tests feed a live lavfi source through the same path). */
  readonly inputArgs?: readonly string[];
  /** The camera must deliver its first frame within this time (default 15 s). */
  readonly firstFrameTimeoutMs?: number;
}

/**
 * Live frames from a camera through ffmpeg: v4l2 on Linux (`webcam:2` or `webcam:/dev/video2`, default
 * /dev/video0), avfoundation on macOS (`webcam:1`, default 0), dshow on Windows (`webcam:Integrated Camera`;
 * the name is required). Hot: when downstream falls behind, whole frames are dropped and counted (`onDrop`);
 * at most `queue` frames wait. The first frame is at t = 0 µs.
 */
export function fromWebcamFrames(device: string | undefined, options: WebcamOptions = {}): Observable<Frame> {
  checkFrameSourceOptions(options);
  const queue = options.queue ?? 2;
  if (queue !== 1 && queue !== 2) throw new ConfigError('queue', queue, '1 or 2 frames');
  const inputArgs = options.inputArgs ?? webcamInputArgs(device, options.platform ?? process.platform, options.fps);
  return defer(() =>
    ffmpegFrames({
      inputArgs,
      label: `webcam ${device ?? '(default)'}`,
      options: { ...options, fps: undefined },
      ffmpegPath: options.ffmpegPath,
      firstFrameTimeoutMs: options.firstFrameTimeoutMs ?? 15_000,
    }),
  ).pipe(dropWhenBusy<Frame>({ capacity: queue, onDrop: options.onDrop }));
}

/** DVS events from a camera (frames through `framesToEvents`). */
export function fromWebcam(device: string | undefined, options: WebcamOptions & FrameEventSourceOptions = {}): Observable<EventBatch> {
  return fromWebcamFrames(device, options).pipe(framesToEvents(options));
}

/** ffmpeg's capture arguments for a device on a platform. */
export function webcamInputArgs(device: string | undefined, platform: NodeJS.Platform, fps?: number): string[] {
  const rate = fps !== undefined ? ['-framerate', String(fps)] : [];
  switch (platform) {
    case 'linux': {
      const path = device === undefined || device === '' ? '/dev/video0' : /^\d+$/.test(device) ? `/dev/video${device}` : device;
      return ['-f', 'v4l2', ...rate, '-i', path];
    }
    case 'darwin':
      // avfoundation needs a frame rate the camera supports; 30 is the common one.
      return ['-f', 'avfoundation', ...(rate.length ? rate : ['-framerate', '30']), '-i', device || '0'];
    case 'win32':
      if (!device) throw new ConfigError('webcam device', device, 'a DirectShow camera name: webcam:NAME (list them with ffmpeg -list_devices true -f dshow -i dummy)');
      return ['-f', 'dshow', ...rate, '-i', `video=${device}`];
    default:
      throw new ConfigError('platform', platform, 'linux (v4l2), darwin (avfoundation) or win32 (dshow) for webcam input');
  }
}
