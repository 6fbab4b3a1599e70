import { ConfigError } from '../errors.ts';
import { emptyBatch, type EventBatch } from '../events/eventBatch.ts';
import { checkGeometry } from '../events/geometry.ts';
import { MIN_THRESHOLD, resolveDvsOptions, type DvsModelOptions, type ResolvedDvsOptions } from './dvsModelOptions.ts';
import type { Frame } from './frame.ts';
import { linLog, linLogTable8 } from './linLog.ts';
import { emitByteCrossings, type ByteBandState } from './byteCrossings.ts';
import { IntervalEvents } from './intervalEvents.ts';
import { CROSSING_EPS, LevelIndex, lowPassAndScan, scanByteBands, scanLogLevels } from './pixelScan.ts';
import { SeededRandom } from './random.ts';
import { WasmBandScanner, wasmScanAvailable } from './wasmScan.ts';

/** Largest interval between two frames (µs) that the per-interval time sort handles. */
const MAX_INTERVAL_US = 0xffffffff;

/**
 * The per-pixel DVS model of v2e and ESIM on one frame stream of fixed size. Each pixel keeps a reference log
 * level; when the (optionally low-passed) lin-log intensity moves k thresholds away from it between two frames,
 * the pixel emits k events whose times are interpolated linearly between the frames, and the reference moves by
 * one threshold per event. A crossing sooner than the refractory period after the pixel's previous event waits
 * until the period is over (or for a later frame). Leak drifts the reference down; shot noise adds random
 * events. Each `push` returns that interval's events sorted by time; the first frame only sets the references.
 *
 * All state is typed arrays allocated once; the scanning kernels (`pixelScan.ts`) allocate nothing. With 8-bit
 * frames and no filter, leak or refractory period (the `clean` preset) the thresholds are also kept as byte
 * levels, so the scan of a pixel that does not fire reads three bytes (16 pixels per SIMD test in WebAssembly,
 * `wasmScan.ts`; 4 per SWAR word in JavaScript), and fired pixels go through a dedicated kernel
 * (`byteCrossings.ts`). Events are collected unsorted per interval and bucket-sorted by time at the end.
 */
export class DvsModel {
  readonly width: number;
  readonly height: number;
  readonly options: ResolvedDvsOptions;
  private readonly pixels: number;
  private readonly random: SeededRandom;
  private readonly lut: Float64Array;
  private readonly thOn: Float64Array;
  private readonly thOff: Float64Array;
  /** Reference log level of each pixel, before leak: the effective one is `ref − thOn · leakPhase`. */
  private readonly ref: Float64Array;
  /** Leak so far, in ON thresholds (leakHz × seconds since the first frame). */
  private leakPhase = 0;
  /** Time (µs) of each pixel's last event, for the refractory period. */
  private readonly lastT: Float64Array;
  /** Previous frame's bytes (8-bit fast path, JavaScript scan). */
  private readonly prevBytes: Uint8Array;
  /** The fast path's WebAssembly scan, which keeps the frames and bands in its own memory (see `wasmScan.ts`). */
  private readonly scanner: WasmBandScanner | undefined;
  /** Photoreceptor output now and at the previous frame (general path). */
  private logNow: Float64Array;
  private logPrev: Float64Array;
  /** Byte-level thresholds of the fast path (see `scanByteBands`), also viewed as 32-bit words. */
  private readonly bands: ByteBandState;
  private readonly above32: Uint32Array;
  private readonly below32: Uint32Array;
  private readonly byteFastPath: boolean;
  private readonly refractoryUs: number;
  private readonly levels: LevelIndex;
  private readonly fired: Uint32Array;
  private started = false;
  private tPrev = 0;
  /** Events of the current interval, unsorted. */
  private readonly events = new IntervalEvents();
  private frameIndex = 0;
  private inputKind: 'bytes' | 'log' | undefined;

  /** `engine.wasm`: scan with WebAssembly when possible (the default; false forces the JavaScript scan). */
  constructor(width: number, height: number, options: DvsModelOptions = {}, engine: { readonly wasm?: boolean } = {}) {
    checkGeometry(width, height, 'frame');
    this.width = width;
    this.height = height;
    this.options = resolveDvsOptions(options);
    const n = width * height;
    this.pixels = n;
    this.random = new SeededRandom(this.options.seed);
    this.lut = linLogTable8(this.options.linearCutoff);
    this.thOn = this.drawThresholds(this.options.thresholdOn);
    this.thOff = this.drawThresholds(this.options.thresholdOff);
    this.ref = new Float64Array(n);
    this.lastT = new Float64Array(n).fill(-Infinity);
    this.byteFastPath = this.options.cutoffHz === 0 && this.options.leakHz === 0 && this.options.refractoryUs === 0;
    this.refractoryUs = this.options.refractoryUs;
    this.levels = new LevelIndex(this.lut);
    this.scanner = this.byteFastPath && (engine.wasm ?? true) && WasmBandScanner.fits(n) && wasmScanAvailable() ? new WasmBandScanner(n) : undefined;
    this.prevBytes = new Uint8Array(this.scanner ? 0 : n);
    const planeBytes = this.byteFastPath && !this.scanner ? n : 0;
    const above = this.scanner?.above ?? new Uint8Array(planeBytes);
    const below = this.scanner?.below ?? new Uint8Array(planeBytes);
    this.above32 = new Uint32Array(above.buffer, 0, planeBytes >>> 2);
    this.below32 = new Uint32Array(below.buffer, 0, planeBytes >>> 2);
    this.bands = { lut: this.lut, levels: this.levels, ref: this.ref, thOn: this.thOn, thOff: this.thOff, above, below };
    this.logNow = new Float64Array(n);
    this.logPrev = new Float64Array(n);
    this.fired = new Uint32Array(n);
  }

  /** Frames seen so far. */
  get frames(): number {
    return this.frameIndex;
  }

  /** Feeds one 8-bit luma frame; returns the events since the previous frame, sorted by time. */
  pushFrame(frame: Frame): EventBatch {
    this.checkInputKind('bytes');
    this.checkFrame(frame.width, frame.height, frame.data.length);
    const t1 = this.checkTime(frame.t);
    const data = frame.data;
    const { lut, pixels: n } = this;
    if (!this.started) {
      for (let i = 0; i < n; i++) this.logNow[i] = lut[data[i]];
      (this.scanner?.previous ?? this.prevBytes).set(data.subarray(0, n));
      const batch = this.start(t1);
      if (this.byteFastPath) for (let i = 0; i < n; i++) this.updateByteLevels(i);
      return batch;
    }
    const t0 = this.tPrev;
    if (this.scanner) {
      const { bands, scanner, events } = this;
      const count = scanner.scan(data);
      let done = 0;
      while ((done = emitByteCrossings(bands, scanner.fired, done, count, scanner.current, scanner.previous, this.width, t0, t1 - t0, events)) < count) {
        events.reserve(Math.max(1024, events.count));
      }
      scanner.swap();
    } else if (this.byteFastPath) {
      // A word view of the frame, when its bytes are 4-aligned (frames from our sources always are).
      const words = data.byteOffset % 4 === 0 ? new Uint32Array(data.buffer, data.byteOffset, n >>> 2) : undefined;
      const { bands, fired, prevBytes, events } = this;
      const count = scanByteBands(data, words, bands.above, bands.below, this.above32, this.below32, n, fired);
      let done = 0;
      while ((done = emitByteCrossings(bands, fired, done, count, data, prevBytes, this.width, t0, t1 - t0, events)) < count) {
        // Out of room: one pixel's crossings did not fit.
        events.reserve(Math.max(1024, events.count));
      }
      prevBytes.set(data.subarray(0, n));
    } else {
      this.swapLogs();
      if (this.options.cutoffHz > 0) {
        const phase1 = this.nextLeakPhase(t0, t1);
        const { logPrev, logNow, ref, thOn, thOff, fired } = this;
        const count = lowPassAndScan(data, lut, this.filterGains(t1 - t0), logPrev, logNow, ref, thOn, thOff, phase1, n, fired);
        this.emitFired(count, phase1, t0, t1);
      } else {
        for (let i = 0; i < n; i++) this.logNow[i] = lut[data[i]];
        this.scanLogs(t0, t1);
      }
    }
    return this.finish(t1);
  }

  /**
   * Feeds one frame of log intensities (`linLog(I)` per pixel, any precision); for analytic tests and inputs
   * deeper than 8 bits. Uses the general path (with the low-pass filter if configured).
   */
  pushLog(log: ArrayLike<number>, t: number): EventBatch {
    this.checkInputKind('log');
    this.checkFrame(this.width, this.height, log.length);
    const t1 = this.checkTime(t);
    const n = this.pixels;
    if (!this.started) {
      for (let i = 0; i < n; i++) this.logNow[i] = log[i];
      return this.start(t1);
    }
    const t0 = this.tPrev;
    this.swapLogs();
    const { logPrev, logNow } = this;
    const k = 2 * Math.PI * this.options.cutoffHz * ((t1 - t0) / 1e6);
    const cutoff = this.options.linearCutoff;
    const logCutoff = linLog(cutoff, cutoff);
    for (let i = 0; i < n; i++) {
      const x = log[i];
      if (k > 0) {
        // The filter's cut-off follows the intensity, recovered from the lin-log value.
        const intensity = Math.min(255, x >= logCutoff ? Math.exp(x) : (x * cutoff) / logCutoff);
        logNow[i] = logPrev[i] + Math.min(1, (k * (intensity + 20)) / 275) * (x - logPrev[i]);
      } else {
        logNow[i] = x;
      }
    }
    this.scanLogs(t0, t1);
    return this.finish(t1);
  }

  /** The fast path keeps byte levels, so one model takes either bytes or log frames, not both. */
  private checkInputKind(kind: 'bytes' | 'log'): void {
    this.inputKind ??= kind;
    if (this.inputKind !== kind) throw new ConfigError('input', kind, `${this.inputKind} frames, like the first frame`);
  }

  private swapLogs(): void {
    const previous = this.logPrev;
    this.logPrev = this.logNow;
    this.logNow = previous;
  }

  /** Per-level low-pass gain for an interval: ε = 2π·f_c(I)·Δt, capped at 1, with f_c ∝ (I + 20) as in v2e. */
  private filterGains(dtUs: number): Float64Array {
    const gain = new Float64Array(256);
    const k = 2 * Math.PI * this.options.cutoffHz * (dtUs / 1e6);
    for (let v = 0; v < 256; v++) gain[v] = Math.min(1, (k * (v + 20)) / 275);
    return gain;
  }

  private scanLogs(t0: number, t1: number): void {
    const phase1 = this.nextLeakPhase(t0, t1);
    const count = scanLogLevels(this.logNow, this.ref, this.thOn, this.thOff, phase1, this.pixels, this.fired);
    this.emitFired(count, phase1, t0, t1);
  }

  /** The leak phase at t1 (the phase at t0 is `this.leakPhase` until `finish`). */
  private nextLeakPhase(t0: number, t1: number): number {
    return this.leakPhase + (this.options.leakHz * (t1 - t0)) / 1e6;
  }

  /** Events of the pixels listed by a scan of the general path. */
  private emitFired(count: number, phase1: number, t0: number, t1: number): void {
    const { fired, logPrev, logNow } = this;
    const phase0 = this.leakPhase;
    for (let f = 0; f < count; f++) {
      const i = fired[f];
      this.emit(i, logPrev[i], logNow[i], phase0, phase1, t0, t1);
    }
    this.leakPhase = phase1;
  }

  /**
   * One pixel's events for the interval: its log went from l0 to l1 while its effective reference leaked from
   * phase0 to phase1 (in ON thresholds); the distance between them moves linearly in between.
   */
  private emit(i: number, l0: number, l1: number, phase0: number, phase1: number, t0: number, t1: number): void {
    const th = this.thOn[i];
    const r = this.ref[i];
    const d0 = l0 - r + th * phase0;
    const d1 = l1 - r + th * phase1;
    if (d1 + CROSSING_EPS >= th) {
      this.ref[i] = r + this.fire(i, d0, d1, th, 1, t0, t1) * th;
    } else if (d1 - CROSSING_EPS <= -this.thOff[i]) {
      const off = this.thOff[i];
      this.ref[i] = r - this.fire(i, -d0, -d1, off, 0, t0, t1) * off;
    }
  }

  /** Byte levels beyond which pixel i fires (fast path), from its reference (`emitByteCrossings` does the same). */
  private updateByteLevels(i: number): void {
    const r = this.ref[i];
    const hi = this.levels.atLeast(r + this.thOn[i] - CROSSING_EPS);
    const lo = this.levels.atMost(r - this.thOff[i] + CROSSING_EPS);
    // Without refractory period every crossing is emitted at once, so hi >= 1 and lo <= 254 always hold.
    // Fires when the byte is above `hi - 1` or below `lo + 1`.
    this.bands.above[i] = hi > 0 ? hi - 1 : 0;
    this.bands.below[i] = lo < 255 ? lo + 1 : 255;
  }

  private drawThresholds(nominal: number): Float64Array {
    const sigma = this.options.thresholdSigma;
    const out = new Float64Array(this.pixels);
    for (let i = 0; i < this.pixels; i++) {
      const th = sigma > 0 ? nominal + sigma * this.random.normal() : nominal;
      out[i] = th < MIN_THRESHOLD ? MIN_THRESHOLD : th;
    }
    return out;
  }

  /** The first frame: references start at the frame's levels. */
  private start(t: number): EventBatch {
    this.ref.set(this.logNow);
    if (this.options.leakHz > 0) {
      // Random leak phase per pixel, so leak events do not fire in lockstep over the whole sensor.
      for (let i = 0; i < this.pixels; i++) this.ref[i] -= this.random.next() * this.thOn[i];
    }
    this.started = true;
    this.tPrev = t;
    this.frameIndex = 1;
    return emptyBatch(this);
  }

  /**
   * Emits the crossings of one pixel whose distance from its reference (in units of its threshold `th`, sign
   * already folded so that it grows) went linearly from `d0` to `d1` over [t0, t1]. Crossing j happens when the
   * distance reaches j·th (ESIM); a crossing inside the refractory period waits for its end, and crossings that
   * would fall after t1 are left for the next interval (the reference keeps them). Returns the events emitted.
   */
  private fire(i: number, d0: number, d1: number, th: number, polarity: number, t0: number, t1: number): number {
    const k = Math.floor((d1 + CROSSING_EPS) / th);
    const events = this.events;
    if (events.count + k > events.offset.length) events.reserve(k);
    const { offset, xy, p } = events;
    const { refractoryUs, width } = this;
    const row = Math.floor(i / width);
    const packed = (i - row * width) | (row << 16);
    const span = d1 - d0;
    const dt = t1 - t0;
    let last = this.lastT[i];
    let e = events.count;
    for (let j = 1; j <= k; j++) {
      let s = span > 0 ? (j * th - d0) / span : 0;
      if (s < 0) s = 0;
      else if (s > 1) s = 1;
      let t = Math.round(t0 + s * dt);
      if (t < last + refractoryUs) t = Math.ceil(last + refractoryUs);
      if (t > t1) break;
      offset[e] = t - t0;
      xy[e] = packed;
      p[e] = polarity;
      e++;
      last = t;
    }
    const emitted = e - events.count;
    events.count = e;
    this.lastT[i] = last;
    return emitted;
  }

  /** Shot noise: a Poisson number of events at uniformly random pixels, times and polarities. */
  private addShotNoise(t0: number, t1: number): void {
    const rate = this.options.shotNoiseHz;
    if (rate <= 0 || t1 <= t0) return;
    const count = this.random.poisson((this.pixels * rate * (t1 - t0)) / 1e6);
    const events = this.events;
    events.reserve(count);
    const { offset, xy, p } = events;
    const { width, random } = this;
    const span = t1 - t0;
    for (let c = 0; c < count; c++) {
      const i = random.nextInt(this.pixels);
      const on = random.next() < 0.5;
      const e = events.count++;
      // In (t0, t1]: the frame at t0 already had its events.
      offset[e] = 1 + random.nextInt(span);
      const row = Math.floor(i / width);
      xy[e] = (i - row * width) | (row << 16);
      p[e] = on ? 1 : 0;
      // The reference is left alone: a real pixel resets to its current level after any event, so moving
      // the reference here would only add a spurious opposite event at the next frame.
    }
  }

  private finish(t1: number): EventBatch {
    const t0 = this.tPrev;
    this.addShotNoise(t0, t1);
    this.tPrev = t1;
    this.frameIndex++;
    if (this.events.count === 0) return emptyBatch(this);
    return this.events.toBatch(this, t0, t1 - t0);
  }

  private checkFrame(width: number, height: number, length: number): void {
    if (width !== this.width || height !== this.height) {
      throw new ConfigError('frame size', `${width}x${height}`, `the stream's first frame size ${this.width}x${this.height}`);
    }
    if (length < this.pixels) {
      throw new ConfigError('frame data length', length, `at least width*height = ${this.pixels}`);
    }
  }

  private checkTime(t: number): number {
    if (!Number.isFinite(t)) throw new ConfigError('frame t', t, 'a finite time in µs');
    const rounded = Math.round(t);
    if (this.started && rounded < this.tPrev) {
      throw new ConfigError('frame t', t, `>= the previous frame's t = ${this.tPrev} µs (frames must not go back in time)`);
    }
    if (this.started && rounded - this.tPrev > MAX_INTERVAL_US) {
      throw new ConfigError('frame t', t, `within ${MAX_INTERVAL_US} µs of the previous frame (${this.tPrev} µs)`);
    }
    return rounded;
  }
}
