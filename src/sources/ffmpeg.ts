import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { ExternalError } from '../errors.ts';

/** Which ffmpeg binary spikeflow runs, and where it came from. */
export interface FfmpegBinary {
  readonly path: string;
  /** 'env': $SPIKEFLOW_FFMPEG; 'system': `ffmpeg` on PATH; 'bundled': the npm package @ffmpeg-installer/ffmpeg. */
  readonly origin: 'env' | 'system' | 'bundled';
}

let cached: FfmpegBinary | undefined;

/**
 * The ffmpeg to use: `$SPIKEFLOW_FFMPEG` if set, else the system `ffmpeg` when it runs, else the static binary
 * shipped in `@ffmpeg-installer/ffmpeg` (so `npm install` alone is enough). Checked once per process.
 */
export function resolveFfmpeg(): FfmpegBinary {
  if (cached) return cached;
  const fromEnv = process.env['SPIKEFLOW_FFMPEG'];
  if (fromEnv) return (cached = { path: fromEnv, origin: 'env' });
  if (spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status === 0) return (cached = { path: 'ffmpeg', origin: 'system' });
  const bundled = bundledFfmpeg();
  if (!bundled) {
    throw new ExternalError('no ffmpeg found: install ffmpeg on the PATH, set SPIKEFLOW_FFMPEG, or npm install @ffmpeg-installer/ffmpeg');
  }
  return (cached = { path: bundled, origin: 'bundled' });
}

/** The binary of @ffmpeg-installer/ffmpeg, if that package supports this platform. */
export function bundledFfmpeg(): string | undefined {
  try {
    const installer = createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string };
    return installer.path;
  } catch {
    return undefined;
  }
}

/** Whether `ffmpeg` on the PATH runs (tests report it; sources fall back to the bundled binary). */
export function hasSystemFfmpeg(): boolean {
  return spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status === 0;
}

const passthroughArgs = new Map<string, readonly string[]>();

/**
 * The option that passes frames through without duplicating or dropping any: `-fps_mode passthrough` where
 * the binary has it (ffmpeg >= 5.1, where `-vsync` is deprecated), else `-vsync 0` (older ones, such as the
 * bundled 4.1). Asked once per binary.
 */
export function passthroughOption(binary: string): readonly string[] {
  let args = passthroughArgs.get(binary);
  if (!args) {
    const help = spawnSync(binary, ['-hide_banner', '-h', 'long'], { encoding: 'utf8', maxBuffer: 8 << 20 });
    args = `${help.stdout ?? ''}`.includes('-fps_mode') ? ['-fps_mode', 'passthrough'] : ['-vsync', '0'];
    passthroughArgs.set(binary, args);
  }
  return args;
}
