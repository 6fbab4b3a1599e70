import { ConfigError } from '../../errors.ts';
import type { EventBatch } from '../../events/eventBatch.ts';
import type { Geometry } from '../../events/geometry.ts';

/** What a format's fields can hold. */
export interface FieldLimits {
  /** Exclusive upper bounds. */
  readonly x: number;
  readonly y: number;
  readonly t: number;
  /** e.g. 'EVT 2.0' for messages. */
  readonly format: string;
}

/** Rejects a geometry that the format's x/y fields cannot address. */
export function checkEncoderGeometry(geometry: Geometry, limits: FieldLimits): void {
  if (!Number.isInteger(geometry.width) || geometry.width < 1 || geometry.width > limits.x) {
    throw new ConfigError('width', geometry.width, `1..${limits.x}: ${limits.format} cannot address more columns`);
  }
  if (!Number.isInteger(geometry.height) || geometry.height < 1 || geometry.height > limits.y) {
    throw new ConfigError('height', geometry.height, `1..${limits.y}: ${limits.format} cannot address more rows`);
  }
}

/**
 * Checks a batch before it is encoded: t non-decreasing (also across batches, starting at `lastT`), within the
 * format's time range, x < width, y < height, p 0 or 1. Returns the batch's last t. Throws a ConfigError
 * stating the value, the event index and the allowed range.
 */
export function checkBatch(batch: EventBatch, geometry: Geometry, limits: FieldLimits, lastT: number): number {
  const { t, x, y, p, length } = batch;
  const { width, height } = geometry;
  let prev = lastT;
  for (let i = 0; i < length; i++) {
    const ti = t[i]!;
    if (!(ti >= prev)) {
      throw new ConfigError(`t[${i}]`, ti, `>= ${prev} µs: events must be in time order (t never decreases)`);
    }
    prev = ti;
    if (x[i]! >= width) throw new ConfigError(`x[${i}]`, x[i], `0..${width - 1}: x must be smaller than width=${width}`);
    if (y[i]! >= height) {
      throw new ConfigError(`y[${i}]`, y[i], `0..${height - 1}: y must be smaller than height=${height}`);
    }
    if (p[i]! > 1) throw new ConfigError(`p[${i}]`, p[i], '0 (OFF) or 1 (ON)');
  }
  if (length > 0 && (t[0]! < 0 || prev >= limits.t || !Number.isInteger(t[0]) || !Number.isInteger(prev))) {
    const bad = t[0]! < 0 || !Number.isInteger(t[0]) ? t[0] : prev;
    throw new ConfigError('t', bad, `integer µs in 0..${limits.t - 1}: the ${limits.format} time field cannot hold it`);
  }
  return prev;
}

/** Checks the triggers of a batch (time order among themselves, id range). */
export function checkTriggers(batch: EventBatch, limits: FieldLimits, maxId: number, lastT: number): number {
  const tr = batch.triggers;
  if (!tr) return lastT;
  let prev = lastT;
  for (let i = 0; i < tr.length; i++) {
    if (!(tr.t[i]! >= prev)) throw new ConfigError(`triggers.t[${i}]`, tr.t[i], `>= ${prev} µs (time order)`);
    if (tr.t[i]! >= limits.t) throw new ConfigError(`triggers.t[${i}]`, tr.t[i], `0..${limits.t - 1} µs`);
    if (tr.id[i]! > maxId) throw new ConfigError(`triggers.id[${i}]`, tr.id[i], `0..${maxId}`);
    prev = tr.t[i]!;
  }
  return prev;
}

/**
 * The time order of a RAW word stream into which an encoder merges events and triggers: a batch's events and its
 * triggers must each be in order and both follow everything written before, events and triggers alike.
 */
export class MergedTimeOrder {
  private lastEvent = 0;
  private lastTrigger = 0;

  constructor(
    private readonly geometry: Geometry,
    private readonly limits: FieldLimits,
    private readonly maxTriggerId: number,
  ) {}

  /** Checks a batch's events and triggers (see checkBatch, checkTriggers); returns the latest time written. */
  check(batch: EventBatch): number {
    const before = Math.max(this.lastEvent, this.lastTrigger);
    this.lastEvent = checkBatch(batch, this.geometry, this.limits, before);
    this.lastTrigger = checkTriggers(batch, this.limits, this.maxTriggerId, before);
    return Math.max(this.lastEvent, this.lastTrigger);
  }
}

/** The `%` header OpenEB writes for RAW files, ending with `% end` so that no data byte is mistaken for it. */
export function rawHeader(evt: string, formatName: string, geometry: Geometry, source?: string): Uint8Array {
  const lines = [
    `% evt ${evt}`,
    `% format ${formatName};height=${geometry.height};width=${geometry.width}`,
    `% geometry ${geometry.width}x${geometry.height}`,
    `% generator spikeflow`,
  ];
  if (source) lines.push(`% source ${source.replace(/[^\x20-\x7e]/g, '?')}`);
  lines.push('% end');
  return new TextEncoder().encode(lines.join('\n') + '\n');
}

/** Bytes of the first `count` elements of a typed array (a view, no copy). */
export function bytesOf(words: Uint16Array | Uint32Array, count: number): Uint8Array {
  return new Uint8Array(words.buffer, words.byteOffset, count * words.BYTES_PER_ELEMENT);
}
