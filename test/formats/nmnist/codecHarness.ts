// Shared by the nmnist, es, csv, npy and hdf5 tests: decode in memory with any chunking, encode, compare, fuzz.
import { DecodeError } from '../../../src/errors.ts';
import { concatBatches, type EventBatch } from '../../../src/events/eventBatch.ts';
import { concatBytes } from '../../../src/formats/concatBytes.ts';
import type { DecodeStats, DecoderOptions, EncoderOptions, FormatModule } from '../../../src/formats/types.ts';
import { mulberry32 } from '../mulberry32.ts';

/** Decodes `bytes` fed in chunks of `chunk` bytes through the format's incremental decoder. */
export function decodeBytes(
  format: FormatModule,
  bytes: Uint8Array,
  chunk: number,
  options: Partial<DecoderOptions> & Record<string, unknown> = {},
): { events: EventBatch; stats: DecodeStats; batches: number } {
  const decoder = format.createDecoder!({ file: 'mem', ...options });
  const parts: EventBatch[] = [];
  for (let o = 0; o < bytes.length; o += chunk) {
    const b = decoder.push(bytes.subarray(o, Math.min(o + chunk, bytes.length)));
    if (b.length > 0) parts.push(b);
  }
  const last = decoder.end();
  if (last.length > 0) parts.push(last);
  const geometry = decoder.geometry ?? { width: 1, height: 1 };
  return { events: concatBatches(parts, geometry), stats: decoder.stats, batches: parts.length };
}

/** The bytes an encoder writes for `batches` (header, each batch, end). */
export function encodeBatches(format: FormatModule, batches: readonly EventBatch[], options: EncoderOptions): Uint8Array {
  const encoder = format.createEncoder!(options);
  const parts = [encoder.header(), ...batches.map((b) => encoder.encode(b)), encoder.end()];
  return concatBytes(parts);
}

/** Index of the first event that differs (or the shorter length), -1 when equal in every field. */
export function firstDifference(a: EventBatch, b: EventBatch): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a.t[i] !== b.t[i] || a.x[i] !== b.x[i] || a.y[i] !== b.y[i] || a.p[i] !== b.p[i]) return i;
  }
  return a.length === b.length ? -1 : n;
}

export function summary(e: EventBatch) {
  let on = 0;
  for (let i = 0; i < e.length; i++) on += e.p[i]!;
  const n = e.length - 1;
  return {
    events: e.length,
    first: [e.t[0], e.x[0], e.y[0], e.p[0]],
    last: [e.t[n], e.x[n], e.y[n], e.p[n]],
    on,
    off: e.length - on,
    width: e.width,
    height: e.height,
  };
}

/**
 * Decodes `count` mutated copies of `seed` (byte flips, truncations, insertions, random chunkings); any
 * error other than DecodeError is returned as a failure description. Returns how many inputs were rejected.
 */
export function fuzz(format: FormatModule, seedBytes: Uint8Array, count: number, seed: number, options: Record<string, unknown> = {}) {
  const random = mulberry32(seed);
  let rejected = 0;
  const failures: string[] = [];
  for (let k = 0; k < count; k++) {
    let bytes = seedBytes.slice();
    const kind = Math.floor(random() * 4);
    if (kind === 0 || kind === 3) {
      const flips = 1 + Math.floor(random() * 4);
      for (let f = 0; f < flips; f++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
    }
    if (kind === 1 || kind === 3) bytes = bytes.subarray(0, Math.floor(random() * bytes.length));
    if (kind === 2) {
      const at = Math.floor(random() * bytes.length);
      const extra = Uint8Array.from({ length: 1 + Math.floor(random() * 8) }, () => Math.floor(random() * 256));
      const grown = new Uint8Array(bytes.length + extra.length);
      grown.set(bytes.subarray(0, at));
      grown.set(extra, at);
      grown.set(bytes.subarray(at), at + extra.length);
      bytes = grown;
    }
    try {
      const { events } = decodeBytes(format, bytes, 1 + Math.floor(random() * 300), options);
      for (let i = 1; i < events.length; i++) {
        if (events.t[i]! < events.t[i - 1]! || events.x[i]! >= events.width || events.y[i]! >= events.height) {
          failures.push(`input ${k}: event ${i} breaks the stream contract`);
          break;
        }
      }
    } catch (error) {
      if (error instanceof DecodeError) rejected++;
      else failures.push(`input ${k}: ${String(error)}`);
    }
  }
  return { rejected, failures };
}
