import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { Observable, Subject, takeUntil, timer } from 'rxjs';
import { ConfigError } from '../../errors.ts';
import type { EventBatch } from '../../events/eventBatch.ts';
import { formatByExtension } from '../../formats/registry.ts';
import type { EncoderOptions, EventEncoder, FormatModule } from '../../formats/types.ts';
import { resolveFfmpeg } from '../../sources/ffmpeg.ts';
import { parseCrop, type FrameSourceOptions } from '../../sources/frameSourceOptions.ts';
import { fromImageFolder } from '../../sources/fromImageFolder.ts';
import { fromVideo } from '../../sources/fromVideo.ts';
import { fromWebcam } from '../../sources/fromWebcam.ts';
import { describeInput } from '../../sources/parseInput.ts';
import type { DvsModelOptions, DvsPresetName } from '../../video/dvsModelOptions.ts';

export interface VideoCommandOptions extends FrameSourceOptions, DvsModelOptions {
  /** Stop after this many seconds of input time (a webcam runs until Ctrl+C otherwise). */
  readonly durationS?: number;
  readonly ffmpegPath?: string;
  /** Stops a running conversion (the file is finished properly). */
  readonly signal?: AbortSignal;
}

export interface VideoSummary {
  input: string;
  kind: string;
  format: string;
  width: number;
  height: number;
  frames: number;
  events: number;
  /** Input time covered (µs, first to last frame). */
  spanUs: number;
  /** Wall-clock seconds. */
  seconds: number;
  /** 'system' / 'bundled' / 'env' ffmpeg, for video and webcam inputs. */
  ffmpeg?: string;
  dropped?: number;
}

/**
 * Converts a video file, an image folder or a webcam into an event file of any writable format (chosen by the
 * output's extension). The file is written under a temporary name and renamed when complete, so a failure leaves
 * nothing half-written. Writes are synchronous, which paces a cold source (ffmpeg waits on its pipe).
 */
export async function convertVideo(input: string, output: string, options: VideoCommandOptions = {}): Promise<VideoSummary> {
  const format = formatByExtension(output);
  if (!format || (!format.createEncoder && !format.writeFile)) {
    throw new ConfigError('output', output, 'a file name whose extension names a writable event format (.raw, .dat, .csv, .aedat4, .npy, .h5, …)');
  }
  const described = describeInput(input);
  let ffmpeg: string | undefined;
  let dropped: number | undefined;
  let source: Observable<EventBatch>;
  const needsFfmpeg = described.kind !== 'images';
  const ffmpegPath = needsFfmpeg ? (options.ffmpegPath ?? resolveFfmpeg().path) : undefined;
  if (needsFfmpeg) ffmpeg = options.ffmpegPath ? 'given' : resolveFfmpeg().origin;
  switch (described.kind) {
    case 'images':
      source = fromImageFolder(input, options);
      break;
    case 'webcam':
      dropped = 0;
      source = fromWebcam(described.device, { ...options, ffmpegPath, onDrop: (d) => (dropped = d) });
      break;
    case 'file':
      if (formatByExtension(input)) {
        throw new ConfigError('input', input, 'a video file, a folder of images or webcam[:DEVICE] (event files: use spikeflow convert)');
      }
      source = fromVideo(input, { ...options, ffmpegPath });
      break;
    case 'video':
      source = fromVideo(input, { ...options, ffmpegPath });
      break;
    case 'nats':
      throw new ConfigError('input', input, 'a video file, a folder of images or webcam[:DEVICE] (a NATS event stream: use spikeflow run)');
  }
  const started = performance.now();
  const partial = `${output}.partial-${process.pid}`;
  const writer = new EventFileWriter(partial, format, basename(input));
  let frames = 0;
  let events = 0;
  let tFirst: number | undefined;
  let tLast = 0;
  let geometry = { width: 0, height: 0 };
  const stop = new Subject<void>();
  const onAbort = () => stop.next();
  options.signal?.addEventListener('abort', onAbort);
  let limited = source.pipe(takeUntil(stop));
  if (options.durationS !== undefined) {
    // A camera runs in real time (and a still scene gives no events to measure time by).
    limited = described.kind === 'webcam' ? limited.pipe(takeUntil(timer(options.durationS * 1000))) : limited.pipe(stopAfter(options.durationS * 1e6));
  }
  try {
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      limited.subscribe({
        next(batch) {
          frames++;
          geometry = { width: batch.width, height: batch.height };
          events += batch.length;
          if (batch.length > 0) {
            tFirst ??= batch.t[0];
            tLast = batch.t[batch.length - 1];
          }
          if (failed) return;
          try {
            writer.write(batch);
          } catch (error) {
            // An event the format cannot hold: stop the source (even mid-emission) and fail.
            failed = true;
            stop.next();
            reject(error);
          }
        },
        error: reject,
        complete: resolve,
      });
    });
    await writer.close(geometry);
    renameSync(partial, output);
  } catch (error) {
    await writer.abort();
    rmSync(partial, { force: true });
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  return {
    input,
    kind: described.kind,
    format: format.name,
    ...geometry,
    frames,
    events,
    spanUs: tFirst === undefined ? 0 : tLast - tFirst,
    seconds: (performance.now() - started) / 1000,
    ...(ffmpeg ? { ffmpeg } : {}),
    ...(dropped !== undefined ? { dropped } : {}),
  };
}

/** Completes the stream at the first batch whose events reach `limitUs` after the first event batch's start. */
function stopAfter(limitUs: number) {
  return (source: Observable<EventBatch>) =>
    new Observable<EventBatch>((subscriber) => {
      let start: number | undefined;
      return source.subscribe({
        next(batch) {
          if (batch.length > 0) start ??= batch.t[0];
          subscriber.next(batch);
          if (start !== undefined && batch.length > 0 && batch.t[batch.length - 1] - start >= limitUs) subscriber.complete();
        },
        error: (e) => subscriber.error(e),
        complete: () => subscriber.complete(),
      });
    });
}

/**
 * Writes batches to an event file: through the format's incremental encoder with synchronous writes, or (for
 * whole-file formats such as HDF5) collected and handed to `writeFile` at the end. Opened at the first batch,
 * when the geometry is known.
 */
class EventFileWriter {
  private fd: number | undefined;
  private encoder: EventEncoder | undefined;
  private collected: EventBatch[] = [];

  constructor(
    private readonly path: string,
    private readonly format: FormatModule,
    private readonly source: string,
  ) {}

  write(batch: EventBatch): void {
    if (this.format.createEncoder) {
      if (!this.encoder) this.open(batch);
      const bytes = this.encoder!.encode(batch);
      if (bytes.length > 0) writeSync(this.fd!, bytes);
    } else if (batch.length > 0) {
      this.collected.push(batch);
    }
  }

  async close(geometry: { width: number; height: number }): Promise<void> {
    const options: EncoderOptions = { width: Math.max(1, geometry.width), height: Math.max(1, geometry.height), source: this.source };
    if (this.format.createEncoder) {
      if (!this.encoder) this.open(options);
      const tail = this.encoder!.end();
      if (tail.length > 0) writeSync(this.fd!, tail);
      closeSync(this.fd!);
      this.fd = undefined;
      return;
    }
    const batches = this.collected;
    this.collected = [];
    await this.format.writeFile!(this.path, (async function* () {
      yield* batches;
    })(), options);
  }

  async abort(): Promise<void> {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private open(geometry: { width: number; height: number }): void {
    this.encoder = this.format.createEncoder!({ width: geometry.width, height: geometry.height, source: this.source });
    this.fd = openSync(this.path, 'w');
    const header = this.encoder.header();
    if (header.length > 0) writeSync(this.fd, header);
  }
}

function numberOption(parameter: string, allowed: string, ok: (v: number) => boolean) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || !ok(n)) throw new ConfigError(parameter, value, allowed);
    return n;
  };
}

export function registerVideo(program: Command): void {
  program
    .command('video')
    .description('Convert a video file, a folder of images or a webcam into DVS events (v2e/ESIM model)')
    .argument('<input>', 'a video file (any codec ffmpeg reads), a folder of images, or webcam[:DEVICE]')
    .argument('<out>', 'the event file to write (format from its extension: .raw (evt3), .dat, .csv, .aedat4, .npy, .h5, …)')
    .option('--seed <n>', 'seed of the threshold mismatch and noise', numberOption('--seed', 'an integer in 0..4294967295', (v) => Number.isInteger(v) && v >= 0 && v <= 0xffffffff), 0)
    .option('--threshold <theta>', 'contrast threshold in log units (ON and OFF; default 0.2)', numberOption('--threshold', 'a number in 0.01..10', (v) => v >= 0.01 && v <= 10))
    .option('--preset <name>', 'clean (no noise) or noisy (leak, shot noise, low-pass, refractory)', 'clean')
    .option('--fps <rate>', 'video: resample to this rate; images: their frame rate', numberOption('--fps', 'a rate in (0, 1e6]', (v) => v > 0 && v <= 1e6))
    .option('--width <px>', 'resize to this width', numberOption('--width', 'an integer in 2..16384', (v) => Number.isInteger(v) && v >= 2 && v <= 16384))
    .option('--height <px>', 'resize to this height', numberOption('--height', 'an integer in 2..16384', (v) => Number.isInteger(v) && v >= 2 && v <= 16384))
    .option('--crop <x,y,w,h>', 'keep this region of the input (before resizing)', parseCrop)
    .option('--duration <s>', 'stop after this many seconds of input (webcam: else until Ctrl+C)', numberOption('--duration', 'seconds > 0', (v) => v > 0))
    .action(async (input: string, output: string, opts: Record<string, unknown>) => {
      const preset = opts['preset'] as string;
      if (preset !== 'clean' && preset !== 'noisy') throw new ConfigError('--preset', preset, 'clean or noisy');
      const controller = new AbortController();
      const onSigint = () => controller.abort();
      process.once('SIGINT', onSigint);
      try {
        const summary = await convertVideo(input, output, {
          seed: opts['seed'] as number,
          threshold: opts['threshold'] as number | undefined,
          preset: preset as DvsPresetName,
          fps: opts['fps'] as number | undefined,
          width: opts['width'] as number | undefined,
          height: opts['height'] as number | undefined,
          crop: opts['crop'] as FrameSourceOptions['crop'],
          durationS: opts['duration'] as number | undefined,
          signal: controller.signal,
        });
        const ratio = summary.seconds > 0 ? summary.spanUs / 1e6 / summary.seconds : 0;
        const extra = [summary.ffmpeg ? `ffmpeg: ${summary.ffmpeg}` : '', summary.dropped !== undefined ? `dropped frames: ${summary.dropped}` : '']
          .filter(Boolean)
          .join(', ');
        process.stdout.write(
          `wrote ${summary.events} events (${summary.width}x${summary.height}, ${summary.frames} frames, ` +
            `${(summary.spanUs / 1e6).toFixed(3)} s of video in ${summary.seconds.toFixed(2)} s = ${ratio.toFixed(1)}x real time` +
            `${extra ? `; ${extra}` : ''}) as ${summary.format}: ${output}\n`,
        );
      } finally {
        process.removeListener('SIGINT', onSigint);
      }
    });
}
