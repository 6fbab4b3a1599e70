import { spawn } from 'node:child_process';
import { Observable } from 'rxjs';
import { ExternalError } from '../errors.ts';
import type { Frame } from '../video/frame.ts';
import { passthroughOption, resolveFfmpeg } from './ffmpeg.ts';
import type { FrameSourceOptions } from './frameSourceOptions.ts';

export interface FfmpegFramesSpec {
  /** ffmpeg arguments that open the input (`-i file`, or `-f v4l2 -i /dev/video0`). */
  readonly inputArgs: readonly string[];
  /** Names the input in error messages. */
  readonly label: string;
  readonly options: FrameSourceOptions;
  /** Binary to run (default: `resolveFfmpeg()`). */
  readonly ffmpegPath?: string;
  /** Error out if no frame arrives within this many ms (live inputs); no limit by default. */
  readonly firstFrameTimeoutMs?: number;
  /** Called with the child's pid once spawned (tests check that unsubscribing kills it). */
  readonly onSpawn?: (pid: number | undefined) => void;
}

/** Lines of ffmpeg's stderr kept for error messages. */
const STDERR_TAIL_LINES = 20;

/**
 * Frames decoded by an ffmpeg child process, as raw 8-bit grey (`-f rawvideo -pix_fmt gray`) on stdout.
 * Presentation timestamps come from the `showinfo` filter placed last in the chain, which logs each frame's
 * `pts`, its size and (once) the time base on stderr; `-fps_mode passthrough` (`-vsync 0` before ffmpeg 5.1)
 * passes frames through without duplicating or dropping any, so the n-th log line belongs to the n-th frame on stdout. Times are rebased so that the
 * first frame is at 0 µs.
 *
 * The child is spawned on subscribe and killed on unsubscribe. A failing ffmpeg (bad file, unknown codec,
 * missing device) ends the stream with an ExternalError carrying the tail of its stderr; a stream that ends
 * without a single frame is an error too.
 */
export function ffmpegFrames(spec: FfmpegFramesSpec): Observable<Frame> {
  return new Observable<Frame>((subscriber) => {
    const run = startFfmpegFrames(spec, subscriber);
    return () => run.stop();
  });
}

/**
 * The same frames, pull-paced: ffmpeg's output is paused while `readAhead` decoded frames wait, so a video file
 * is read only as fast as the consumer goes (a cold source, like an event file), in bounded memory. Breaking
 * out of the loop kills ffmpeg.
 */
export async function* ffmpegFrameIterator(spec: FfmpegFramesSpec, readAhead = 2): AsyncGenerator<Frame, void, undefined> {
  const ready: Frame[] = [];
  let ended = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const run = startFfmpegFrames(spec, {
    next(frame) {
      ready.push(frame);
      if (ready.length >= readAhead) run.pause();
      wake?.();
    },
    error(error) {
      failure = error;
      ended = true;
      wake?.();
    },
    complete() {
      ended = true;
      wake?.();
    },
  });
  try {
    for (;;) {
      const frame = ready.shift();
      if (frame) {
        if (ready.length < readAhead) run.resume();
        yield frame;
        continue;
      }
      if (failure) throw failure;
      if (ended) return;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    run.stop();
  }
}

interface FrameReceiver {
  next(frame: Frame): void;
  error(error: unknown): void;
  complete(): void;
}

/** Spawns ffmpeg and hands its frames to `subscriber`; `pause`/`resume` hold back its output. */
function startFfmpegFrames(spec: FfmpegFramesSpec, subscriber: FrameReceiver): { pause(): void; resume(): void; stop(): void } {
  const binary = spec.ffmpegPath ?? resolveFfmpeg().path;
  const args = [
    '-hide_banner',
    '-nostdin',
    '-nostats',
    '-loglevel',
    'info',
    ...spec.inputArgs,
    '-an',
    '-sn',
    '-vf',
    filterChain(spec.options),
    ...passthroughOption(binary),
    '-f',
    'rawvideo',
    '-pix_fmt',
    'gray',
    'pipe:1',
  ];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  spec.onSpawn?.(child.pid);
  let finished = false;
  const tail: string[] = [];
  let stderrRest = '';
  let timeBase: [number, number] | undefined;
  let firstPts: number | undefined;
  // Frames announced on stderr whose bytes have not fully arrived yet.
  const pending: { t: number; width: number; height: number }[] = [];
  // Bytes that arrived before their frame was announced.
  const early: Buffer[] = [];
  let earlyBytes = 0;
  let current: Uint8Array | undefined;
  let filled = 0;
  let emitted = 0;
  let timer: NodeJS.Timeout | undefined;

  const fail = (message: string, cause?: unknown): void => {
    if (finished) return;
    finished = true;
    cleanup();
    const stderr = tail.length > 0 ? `\n${tail.join('\n')}` : '';
    subscriber.error(new ExternalError(`ffmpeg (${binary}) on ${spec.label}: ${message}${stderr}`, { cause }));
  };
  const cleanup = (): void => {
    if (timer) clearTimeout(timer);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  if (spec.firstFrameTimeoutMs !== undefined) {
    timer = setTimeout(() => fail(`no frame within ${spec.firstFrameTimeoutMs} ms`), spec.firstFrameTimeoutMs);
  }

  const onLine = (line: string): void => {
    const base = /config in time_base: (\d+)\/(\d+)/.exec(line);
    if (base && line.includes('showinfo')) {
      timeBase = [Number(base[1]), Number(base[2])];
      return;
    }
    const info = /\] n:\s*\d+ pts:\s*(-?\d+) .*? s:(\d+)x(\d+)/.exec(line);
    if (info && line.includes('showinfo')) {
      const pts = Number(info[1]);
      firstPts ??= pts;
      const [num, den] = timeBase ?? [1, 1_000_000];
      pending.push({ t: Math.round(((pts - firstPts) * 1e6 * num) / den), width: Number(info[2]), height: Number(info[3]) });
      drain();
      return;
    }
    if (line.includes('showinfo') || line.trim() === '') return;
    tail.push(line);
    if (tail.length > STDERR_TAIL_LINES) tail.shift();
  };

  /** Hands out every frame whose announcement and bytes have both arrived. */
  const drain = (): void => {
    while (!finished && pending.length > 0) {
      const head = pending[0];
      const size = head.width * head.height;
      current ??= new Uint8Array(size);
      while (early.length > 0 && filled < size) {
        const chunk = early[0];
        const take = Math.min(chunk.length, size - filled);
        current.set(chunk.subarray(0, take), filled);
        filled += take;
        earlyBytes -= take;
        if (take === chunk.length) early.shift();
        else early[0] = chunk.subarray(take);
      }
      if (filled < size) return;
      pending.shift();
      const frame: Frame = { data: current, width: head.width, height: head.height, t: head.t };
      current = undefined;
      filled = 0;
      emitted++;
      if (timer) clearTimeout(timer);
      subscriber.next(frame);
    }
  };

  child.stdout.on('data', (chunk: Buffer) => {
    early.push(chunk);
    earlyBytes += chunk.length;
    drain();
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => {
    const lines = (stderrRest + text).split(/\r?\n|\r/);
    stderrRest = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  child.on('error', (error) => fail(`cannot run: ${error.message}`, error));
  child.on('close', (code, signal) => {
    if (finished) return;
    if (stderrRest) onLine(stderrRest);
    drain();
    if (code !== 0) return fail(signal ? `killed by ${signal}` : `exit code ${code}`);
    if (emitted === 0) return fail('no video frames decoded');
    if (pending.length > 0 || earlyBytes > 0 || filled > 0) {
      return fail(`output ended inside a frame (${pending.length} announced, ${earlyBytes + filled} bytes left)`);
    }
    finished = true;
    cleanup();
    subscriber.complete();
  });
  return {
    pause: () => child.stdout.pause(),
    resume: () => child.stdout.resume(),
    stop: () => {
      finished = true;
      cleanup();
    },
  };
}

/** The -vf chain: crop, resize, frame rate, grey, and showinfo last (it must see the output frames). */
export function filterChain(options: FrameSourceOptions): string {
  const filters: string[] = [];
  const crop = options.crop;
  if (crop) filters.push(`crop=${crop.width}:${crop.height}:${crop.x}:${crop.y}`);
  if (options.width !== undefined || options.height !== undefined) {
    // -2: keep the aspect ratio with an even size.
    filters.push(`scale=${options.width ?? -2}:${options.height ?? -2}:flags=area`);
  }
  if (options.fps !== undefined) filters.push(`fps=${options.fps}`);
  filters.push('format=gray', 'showinfo');
  return filters.join(',');
}
