import { DecodeError } from '../../errors.ts';
import { emptyBatch, makeBatch, type EventBatch } from '../../events/eventBatch.ts';
import { EventBatchBuilder } from '../../events/eventBatchBuilder.ts';
import type { Geometry } from '../../events/geometry.ts';
import type { DecodeStats, DecoderOptions, EventDecoder } from '../types.ts';
import { NMNIST_HEIGHT, NMNIST_WIDTH, OVERFLOW_STEP_US, OVERFLOW_Y, RECORD_BYTES } from './layout.ts';

/**
 * Incremental N-MNIST / N-Caltech101 decoder (40-bit big-endian records, tonic's overflow markers).
 * Geometry is 34×34 unless the caller gives --width/--height (N-Caltech101 needs them, or
 * `inferNmnistGeometry` first): an event outside the geometry is a DecodeError, never a silent clip.
 */
export function createNmnistDecoder(options: DecoderOptions): EventDecoder {
  const geometry: Geometry = { width: options.width ?? NMNIST_WIDTH, height: options.height ?? NMNIST_HEIGHT };
  const stats: DecodeStats = { triggers: 0, skipped: {}, header: {} };
  // Sized at each push for the most events that chunk can hold, and handed over without a copy.
  let builder = new EventBatchBuilder(1);
  const carry = new Uint8Array(RECORD_BYTES);
  let carried = 0;
  let offset = 0; // file offset of chunk[0] (or of carry[0] while bytes are carried)
  let timeBase = 0;
  let lastT = 0;
  let markers = 0;
  // A damaged record ends decoding, but the events before it are handed out first: the error is thrown by
  // the next push/end call.
  let failure: DecodeError | undefined;

  /** Decodes the whole records of `bytes` whose first byte sits at file offset `at`; returns bytes used. */
  function decodeRecords(bytes: Uint8Array, at: number): number {
    const n = Math.floor(bytes.length / RECORD_BYTES);
    builder.reserve(n);
    const { t, x, y, p } = builder;
    let k = builder.length;
    for (let i = 0, o = 0; i < n; i++, o += RECORD_BYTES) {
      const yi = bytes[o + 1]!;
      if (yi === OVERFLOW_Y) {
        timeBase += OVERFLOW_STEP_US;
        markers++;
        continue;
      }
      const b2 = bytes[o + 2]!;
      const ti = timeBase + (((b2 & 0x7f) << 16) | (bytes[o + 3]! << 8) | bytes[o + 4]!);
      const xi = bytes[o]!;
      if (ti < lastT) {
        failure = new DecodeError(options.file, at + o, `timestamp ${ti} µs is earlier than the previous event's ${lastT} µs`);
        break;
      }
      if (xi >= geometry.width || yi >= geometry.height) {
        failure = new DecodeError(
          options.file,
          at + o,
          `event (x=${xi}, y=${yi}) is outside ${geometry.width}×${geometry.height}; ` +
            'N-Caltech101 and other larger recordings need --width/--height',
        );
        break;
      }
      lastT = ti;
      t[k] = ti;
      x[k] = xi;
      y[k] = yi;
      p[k] = b2 >> 7;
      k++;
    }
    builder.length = k;
    stats.skipped['overflow markers'] = markers;
    return n * RECORD_BYTES;
  }

  /** The builder's events as views of its arrays; the next push starts a new builder. */
  function handOver(geo: Geometry): EventBatch {
    const n = builder.length;
    const batch = makeBatch(geo, builder.t.subarray(0, n), builder.x.subarray(0, n), builder.y.subarray(0, n), builder.p.subarray(0, n));
    builder = new EventBatchBuilder(1);
    return batch;
  }

  function take(): EventBatch {
    return builder.length === 0 ? emptyBatch(geometry) : handOver(geometry);
  }

  return {
    geometry,
    stats,
    push(chunk) {
      if (failure) throw failure;
      const most = Math.floor((carried + chunk.length) / RECORD_BYTES);
      if (most > 1) builder = new EventBatchBuilder(most);
      let start = 0;
      if (carried > 0) {
        start = Math.min(RECORD_BYTES - carried, chunk.length);
        carry.set(chunk.subarray(0, start), carried);
        carried += start;
        if (carried < RECORD_BYTES) return take();
        decodeRecords(carry, offset);
        offset += RECORD_BYTES;
        carried = 0;
        if (failure) return take();
      }
      const used = decodeRecords(chunk.subarray(start), offset);
      carried = chunk.length - start - used;
      carry.set(chunk.subarray(start + used), 0);
      offset += used;
      return take();
    },
    end() {
      if (failure) throw failure;
      if (carried > 0) {
        throw new DecodeError(
          options.file,
          offset,
          `file ends inside a ${RECORD_BYTES}-byte event record (${carried} byte(s) left over)`,
        );
      }
      return take();
    },
  };
}
