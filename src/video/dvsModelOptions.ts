import { ConfigError } from '../errors.ts';
import { DEFAULT_LINEAR_CUTOFF } from './linLog.ts';

/**
 * Options of the frame-to-event DVS model (serialisable; the kernel lives in `dvsModel.ts`). Anything left out
 * comes from the preset (default `clean`); explicit values win over the preset.
 */
export interface DvsModelOptions {
  /** Seed of every random draw (threshold mismatch, leak phase, shot noise). Default 0. */
  readonly seed?: number;
  readonly preset?: DvsPresetName;
  /** Nominal contrast threshold in log units for both polarities (default 0.2). */
  readonly threshold?: number;
  readonly thresholdOn?: number;
  readonly thresholdOff?: number;
  /** σ of the per-pixel Gaussian threshold mismatch (default 0.03); thresholds are clamped above 0.01. */
  readonly thresholdSigma?: number;
  /** Lin-log cut-off in 8-bit digital numbers (default 20): linear below it, log above. */
  readonly linearCutoff?: number;
  /** Per-pixel refractory period in µs: a crossing sooner than this after the pixel's last event waits. */
  readonly refractoryUs?: number;
  /**
   * 3 dB cut-off (Hz) of the first-order low-pass photoreceptor for a full-scale pixel; darker pixels are
   * slower (cut-off proportional to intensity, with a floor), as in v2e. 0 turns the filter off.
   */
  readonly cutoffHz?: number;
  /** Leak events per pixel per second (the reference drifts down by `leakHz · θ_on` per second). */
  readonly leakHz?: number;
  /** Shot-noise events per pixel per second (random polarity, uniform in time). */
  readonly shotNoiseHz?: number;
}

export type DvsPresetName = 'clean' | 'noisy';

export interface ResolvedDvsOptions {
  readonly seed: number;
  readonly thresholdOn: number;
  readonly thresholdOff: number;
  readonly thresholdSigma: number;
  readonly linearCutoff: number;
  readonly refractoryUs: number;
  readonly cutoffHz: number;
  readonly leakHz: number;
  readonly shotNoiseHz: number;
}

/** Thresholds drawn below this are clamped to it, so no pixel fires on every tiny flicker. */
export const MIN_THRESHOLD = 0.01;

/**
 * `clean`: ideal pixels apart from the fixed threshold mismatch; no noise, no filter, no refractory period.
 * `noisy`: a realistic sensor in indoor light: wider mismatch (σ 0.05), a 30 Hz photoreceptor, 0.1 Hz leak
 * events and 0.2 Hz shot noise per pixel (background activity of the order of a DAVIS346's indoors) and a 1 ms
 * refractory period.
 */
export const DVS_PRESETS: Readonly<Record<DvsPresetName, Omit<ResolvedDvsOptions, 'seed'>>> = {
  clean: {
    thresholdOn: 0.2,
    thresholdOff: 0.2,
    thresholdSigma: 0.03,
    linearCutoff: DEFAULT_LINEAR_CUTOFF,
    refractoryUs: 0,
    cutoffHz: 0,
    leakHz: 0,
    shotNoiseHz: 0,
  },
  noisy: {
    thresholdOn: 0.2,
    thresholdOff: 0.2,
    thresholdSigma: 0.05,
    linearCutoff: DEFAULT_LINEAR_CUTOFF,
    refractoryUs: 1000,
    cutoffHz: 30,
    leakHz: 0.1,
    shotNoiseHz: 0.2,
  },
};

export function resolveDvsOptions(options: DvsModelOptions = {}): ResolvedDvsOptions {
  const presetName = options.preset ?? 'clean';
  const preset = DVS_PRESETS[presetName];
  if (!preset) throw new ConfigError('preset', presetName, `one of ${Object.keys(DVS_PRESETS).join(', ')}`);
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new ConfigError('seed', seed, 'an integer in 0..4294967295');
  }
  const common = options.threshold;
  const resolved: ResolvedDvsOptions = {
    seed,
    thresholdOn: options.thresholdOn ?? common ?? preset.thresholdOn,
    thresholdOff: options.thresholdOff ?? common ?? preset.thresholdOff,
    thresholdSigma: options.thresholdSigma ?? preset.thresholdSigma,
    linearCutoff: options.linearCutoff ?? preset.linearCutoff,
    refractoryUs: options.refractoryUs ?? preset.refractoryUs,
    cutoffHz: options.cutoffHz ?? preset.cutoffHz,
    leakHz: options.leakHz ?? preset.leakHz,
    shotNoiseHz: options.shotNoiseHz ?? preset.shotNoiseHz,
  };
  checkRange('thresholdOn', resolved.thresholdOn, MIN_THRESHOLD, 10, `a number in ${MIN_THRESHOLD}..10 (log units)`);
  checkRange('thresholdOff', resolved.thresholdOff, MIN_THRESHOLD, 10, `a number in ${MIN_THRESHOLD}..10 (log units)`);
  checkRange('thresholdSigma', resolved.thresholdSigma, 0, 1, 'a number in 0..1 (log units)');
  checkRange('linearCutoff', resolved.linearCutoff, 1, 255, 'a number in 1..255 (8-bit levels)');
  checkRange('refractoryUs', resolved.refractoryUs, 0, 1e9, 'a number of µs in 0..1e9');
  checkRange('cutoffHz', resolved.cutoffHz, 0, 1e6, 'a frequency in 0..1e6 Hz (0 = no low-pass)');
  checkRange('leakHz', resolved.leakHz, 0, 1e4, 'a rate in 0..1e4 Hz');
  checkRange('shotNoiseHz', resolved.shotNoiseHz, 0, 1e4, 'a rate in 0..1e4 Hz');
  return resolved;
}

function checkRange(parameter: string, value: number, min: number, max: number, allowed: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new ConfigError(parameter, value, allowed);
  }
}
