import { DecodeError } from '../../errors.ts';
import { emptyBatch, makeBatch, type EventBatch } from '../../events/eventBatch.ts';
import { EventBatchBuilder } from '../../events/eventBatchBuilder.ts';
import type { Geometry } from '../../events/geometry.ts';
import type { DecodeStats, DecoderOptions, EventDecoder } from '../types.ts';
import {
  ATIS_OVERFLOW_US,
  DVS_OVERFLOW,
  DVS_OVERFLOW_US,
  DVS_RESET,
  EVENT_BYTES,
  GENERIC_OVERFLOW_US,
  GEOMETRY_HEADER_BYTES,
  hasMagic,
  PREFIX_BYTES,
  STREAM_TYPES,
  TYPE_ATIS,
  TYPE_DVS,
  TYPE_GENERIC,
} from './layout.ts';

/**
 * Incremental Event Stream 2.x decoder, a byte-level state machine (so any chunking gives the same result).
 * - DVS: every event; `y` is the stored y (like loris; faery reports height-1-y).
 * - ATIS: change-detection events with their polarity; exposure measurements (is_tc = 1) are skipped and
 *   counted in stats.skipped['atis exposure'] (their time deltas still advance the clock).
 * - generic: payloads are not events; they are parsed (so damage is detected), skipped and counted in
 *   stats.skipped['generic'].
 * - AMD and color streams are rejected with a DecodeError naming the type.
 */
export interface EsDecoderOptions extends DecoderOptions {
  /**
   * Called for each generic event with its time and payload size (generic payloads are not pixel events, so
   * they never enter a batch; this is for callers that want their timestamps).
   */
  readonly onGenericEvent?: (t: number, size: number) => void;
}

export function createEsDecoder(options: EsDecoderOptions): EventDecoder {
  const stats: DecodeStats = { triggers: 0, skipped: {}, header: {} };
  // Sized at each push for the most events that chunk can hold, and handed over without a copy.
  let builder = new EventBatchBuilder(1);
  const head = new Uint8Array(GEOMETRY_HEADER_BYTES);
  let headFilled = 0;
  let headerBytes = -1; // unknown until the type byte is read
  let type = -1;
  let geometry: Geometry | undefined;
  let width = 0;
  let height = 0;
  let offset = 0; // file offset of the current chunk's first byte
  let t = 0;
  let failure: DecodeError | undefined;
  // DVS/ATIS record in progress
  const record = new Uint8Array(EVENT_BYTES);
  let phase = 0;
  let recordStart = 0;
  let exposures = 0;
  let resets = 0;
  // generic record in progress: 1 = reading the size, 2 = reading the payload
  let genericPhase = 0;
  let genericSize = 0;
  let genericShift = 0;
  let genericCount = 0;

  const fail = (at: number, what: string) => {
    failure ??= new DecodeError(options.file, at, what);
  };

  /** Consumes header bytes; returns how many bytes of `chunk` it used. */
  function readHeader(chunk: Uint8Array): number {
    const want = headerBytes < 0 ? PREFIX_BYTES : headerBytes;
    const used = Math.min(want - headFilled, chunk.length);
    head.set(chunk.subarray(0, used), headFilled);
    headFilled += used;
    if (headFilled < want) return used;
    if (headerBytes < 0) {
      if (!hasMagic(head)) {
        fail(0, 'expected the magic "Event Stream" (this is not an Event Stream file)');
        return used;
      }
      const version = `${head[12]}.${head[13]}.${head[14]}`;
      stats.header.version = version;
      if (head[12] !== 2) {
        fail(12, `Event Stream version ${version} is not supported (only 2.x)`);
        return used;
      }
      type = head[15]!;
      stats.header.type = STREAM_TYPES[type] ?? String(type);
      if (type !== TYPE_DVS && type !== TYPE_ATIS && type !== TYPE_GENERIC) {
        const name = STREAM_TYPES[type] ? `"${STREAM_TYPES[type]}"` : `unknown (${type})`;
        fail(15, `Event Stream type ${name} is not supported (spikeflow reads dvs, atis and generic)`);
        return used;
      }
      if (type === TYPE_GENERIC) {
        headerBytes = PREFIX_BYTES;
        geometry = { width: options.width ?? 1, height: options.height ?? 1 };
        return used;
      }
      headerBytes = GEOMETRY_HEADER_BYTES;
      return used + readHeader(chunk.subarray(used));
    }
    width = options.width ?? head[16]! | (head[17]! << 8);
    height = options.height ?? head[18]! | (head[19]! << 8);
    stats.header.width = String(head[16]! | (head[17]! << 8));
    stats.header.height = String(head[18]! | (head[19]! << 8));
    if (width < 1 || height < 1) fail(16, `the header's geometry ${width}×${height} is empty`);
    geometry = { width, height };
    return used;
  }

  /** Emits a DVS or ATIS record whose 5 bytes are b0, x lo/hi, y lo/hi; returns false on damage. */
  function emit(b0: number, xLo: number, xHi: number, yLo: number, yHi: number, at: number): boolean {
    const x = xLo | (xHi << 8);
    const y = yLo | (yHi << 8);
    if (x >= width || y >= height) {
      fail(at, `event (x=${x}, y=${y}) is outside the header's ${width}×${height}`);
      return false;
    }
    if (type === TYPE_DVS) {
      t += b0 >> 1;
      builder.push(t, x, y, b0 & 1);
    } else {
      t += b0 >> 2;
      if (b0 & 1) exposures++;
      else builder.push(t, x, y, (b0 >> 1) & 1);
    }
    return true;
  }

  function decodeEvents(bytes: Uint8Array, from: number): void {
    const n = bytes.length;
    let i = from;
    // Finish a record cut by the previous chunk, byte by byte.
    while (phase > 0 && i < n) {
      record[phase++] = bytes[i++]!;
      if (phase === EVENT_BYTES) {
        phase = 0;
        if (!emit(record[0]!, record[1]!, record[2]!, record[3]!, record[4]!, recordStart)) return;
      }
    }
    // Whole records: written straight into the builder's arrays (room reserved for the most events possible).
    builder.reserve(Math.ceil((n - i) / EVENT_BYTES) + 1);
    const { t: T, x: X, y: Y, p: P } = builder;
    const dvs = type === TYPE_DVS;
    let k = builder.length;
    let clock = t;
    while (i < n) {
      const b = bytes[i]!;
      if (dvs) {
        if (b >= DVS_RESET) {
          if (b === DVS_OVERFLOW) clock += DVS_OVERFLOW_US;
          else resets++;
          i++;
          continue;
        }
      } else if (b >= 0xfc) {
        if (b === 0xfc) resets++;
        else clock += (b & 3) * ATIS_OVERFLOW_US;
        i++;
        continue;
      }
      if (i + EVENT_BYTES > n) break;
      const x = bytes[i + 1]! | (bytes[i + 2]! << 8);
      const y = bytes[i + 3]! | (bytes[i + 4]! << 8);
      if (x >= width || y >= height) {
        fail(offset + i, `event (x=${x}, y=${y}) is outside the header's ${width}×${height}`);
        break;
      }
      if (dvs) {
        clock += b >> 1;
        P[k] = b & 1;
      } else {
        clock += b >> 2;
        if (b & 1) {
          exposures++;
          i += EVENT_BYTES;
          continue;
        }
        P[k] = (b >> 1) & 1;
      }
      T[k] = clock;
      X[k] = x;
      Y[k] = y;
      k++;
      i += EVENT_BYTES;
    }
    builder.length = k;
    t = clock;
    if (failure) return;
    // The start of a record that the next chunk completes.
    if (i < n) recordStart = offset + i;
    while (i < n) record[phase++] = bytes[i++]!;
  }

  function decodeGeneric(bytes: Uint8Array, from: number): void {
    for (let i = from; i < bytes.length; i++) {
      const b = bytes[i]!;
      if (genericPhase === 0) {
        if (b === 0xff) t += GENERIC_OVERFLOW_US;
        else if (b === 0xfe) resets++;
        else {
          t += b;
          genericPhase = 1;
          genericSize = 0;
          genericShift = 0;
          recordStart = offset + i;
        }
      } else if (genericPhase === 1) {
        genericSize += (b >> 1) * 2 ** genericShift;
        genericShift += 7;
        if ((b & 1) === 0) {
          genericCount++;
          options.onGenericEvent?.(t, genericSize);
          genericPhase = genericSize > 0 ? 2 : 0;
        } else if (genericShift > 49) {
          fail(offset + i, 'generic event size field is longer than 7 bytes');
          return;
        }
      } else {
        const skip = Math.min(genericSize, bytes.length - i);
        genericSize -= skip;
        i += skip - 1;
        if (genericSize === 0) genericPhase = 0;
      }
    }
  }

  /** The builder's events as views of its arrays; the next push starts a new builder. */
  function handOver(geo: Geometry): EventBatch {
    const n = builder.length;
    const batch = makeBatch(geo, builder.t.subarray(0, n), builder.x.subarray(0, n), builder.y.subarray(0, n), builder.p.subarray(0, n));
    builder = new EventBatchBuilder(1);
    return batch;
  }

  function take(): EventBatch {
    stats.skipped['reset bytes'] = resets;
    if (type === TYPE_ATIS) stats.skipped['atis exposure'] = exposures;
    if (type === TYPE_GENERIC) stats.skipped.generic = genericCount;
    const geo = geometry ?? { width: options.width ?? 1, height: options.height ?? 1 };
    return builder.length === 0 ? emptyBatch(geo) : handOver(geo);
  }

  return {
    get geometry() {
      return geometry;
    },
    stats,
    push(chunk) {
      if (failure) throw failure;
      // At most one event per 5 bytes, plus the one a carried partial record completes.
      if (type !== TYPE_GENERIC && chunk.length > EVENT_BYTES) builder = new EventBatchBuilder(Math.ceil(chunk.length / EVENT_BYTES) + 2);
      let from = 0;
      if (geometry === undefined) from = readHeader(chunk);
      if (!failure && geometry !== undefined) {
        if (type === TYPE_GENERIC) decodeGeneric(chunk, from);
        else decodeEvents(chunk, from);
      }
      offset += chunk.length;
      return take();
    },
    end() {
      if (failure) throw failure;
      if (geometry === undefined) {
        throw new DecodeError(options.file, offset, `file ends inside the Event Stream header (${headFilled} bytes)`);
      }
      if (phase !== 0) {
        throw new DecodeError(options.file, recordStart, `file ends inside an event (${phase} of ${EVENT_BYTES} bytes)`);
      }
      if (genericPhase !== 0) {
        throw new DecodeError(options.file, recordStart, 'file ends inside a generic event');
      }
      return take();
    },
  };
}
