import { DecodeError } from '../../errors.ts';
import { concatBatches, emptyBatch, makeBatch, type EventBatch } from '../../events/eventBatch.ts';
import { EventBatchBuilder } from '../../events/eventBatchBuilder.ts';
import { MAX_SENSOR_SIZE, type Geometry } from '../../events/geometry.ts';
import type { DecodeStats, DecoderOptions, EventDecoder } from '../types.ts';
import { MAX_HEADER_BYTES, parseHeaderText, preamble, type NpyHeader } from './header.ts';
import { commonLayout, decodeCommonRecords, type CommonLayout, type RecordsResult } from './commonRecords.ts';
import { fieldReader, type FieldReader } from './readField.ts';

/**
 * Incremental NPY decoder for structured event arrays: the header, then fixed-size records read field by
 * field (any order, integer widths, either endianness; p is ON when non-zero, so 0/1, bool and -1/1 all work).
 * NPY carries no geometry: --width/--height, else max + 1 — then the events are held until the end and
 * stats.header.warning says so.
 */
export function createNpyDecoder(options: DecoderOptions): EventDecoder {
  const stats: DecodeStats = { triggers: 0, skipped: {}, header: {} };
  // Sized at each push for the records that chunk can complete, and handed over without a copy.
  let builder = new EventBatchBuilder(1);
  let geometry: Geometry | undefined =
    options.width !== undefined && options.height !== undefined
      ? { width: options.width, height: options.height }
      : undefined;
  const limitX = geometry?.width ?? MAX_SENSOR_SIZE;
  const limitY = geometry?.height ?? MAX_SENSOR_SIZE;
  let head = new Uint8Array(12);
  let headFilled = 0;
  let dataStart = -1;
  let header: NpyHeader | undefined;
  let readers: { t: FieldReader; x: FieldReader; y: FieldReader; p: FieldReader } | undefined;
  // The common layouts (little-endian i8/u8 t, 2-byte x/y, 1-byte p) take a specialised loop.
  let fast: CommonLayout | undefined;
  const result: RecordsResult = { written: 0, lastT: -Infinity, maxX: 0, maxY: 0 };
  let carry = new Uint8Array(0);
  let carried = 0;
  let offset = 0;
  let records = 0;
  let lastT = -Infinity;
  let maxX = 0;
  let maxY = 0;
  const held: EventBatch[] = [];
  let failure: DecodeError | undefined;
  const fail = (at: number, what: string) => {
    failure ??= new DecodeError(options.file, at, what);
  };

  function readHeader(chunk: Uint8Array): number {
    const want = dataStart < 0 ? 12 : dataStart;
    const used = Math.min(want - headFilled, chunk.length);
    if (headFilled + used > head.length) {
      const bigger = new Uint8Array(want);
      bigger.set(head.subarray(0, headFilled));
      head = bigger;
    }
    head.set(chunk.subarray(0, used), headFilled);
    headFilled += used;
    if (headFilled < want) return used;
    if (dataStart < 0) {
      const pre = preamble(head);
      if (typeof pre === 'string') return fail(0, pre), used;
      if (pre.textLength > MAX_HEADER_BYTES) return fail(8, `header length ${pre.textLength} exceeds ${MAX_HEADER_BYTES}`), used;
      dataStart = pre.textStart + pre.textLength;
      stats.header.version = String(pre.version);
      if (headFilled >= dataStart) return finishHeader(pre.version), used - (headFilled - dataStart);
      return used + readHeader(chunk.subarray(used));
    }
    finishHeader(head[6]!);
    return used;
  }

  function finishHeader(version: number): void {
    const textStart = version === 1 ? 10 : 12;
    const text = new TextDecoder(version === 3 ? 'utf-8' : 'latin1').decode(head.subarray(textStart, dataStart));
    const parsed = parseHeaderText(text);
    if (typeof parsed === 'string') return fail(textStart, parsed);
    header = parsed;
    const { layout } = parsed;
    readers = { t: fieldReader(layout.t), x: fieldReader(layout.x), y: fieldReader(layout.y), p: fieldReader(layout.p) };
    fast = commonLayout(layout);
    carry = new Uint8Array(layout.itemSize);
    stats.header.descr = [layout.t, layout.x, layout.y, layout.p].map((f) => `${f.name}:${f.kind}${f.size}@${f.offset}`).join(',');
    stats.header.count = String(parsed.count);
    stats.header.itemSize = String(layout.itemSize);
  }

  /** Decodes whole records of bytes[from..]; returns bytes used. */
  function decodeRecords(bytes: Uint8Array, from: number, at: number): number {
    const size = header!.layout.itemSize;
    const room = header!.count - records;
    const n = Math.min(Math.floor((bytes.length - from) / size), room);
    if (n <= 0) return 0;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (fast) decodeFast(view, from, at, n);
    else decodeGeneral(view, from, at, n);
    return n * size;
  }

  /** n records through the per-field readers: any dtype, and the one place that words the errors. */
  function decodeGeneral(view: DataView, from: number, at: number, n: number): void {
    const size = header!.layout.itemSize;
    const r = readers!;
    builder.reserve(n);
    const { t, x, y, p } = builder;
    let k = builder.length;
    let o = from;
    for (let i = 0; i < n; i++, o += size) {
      const ti = r.t(view, o);
      const xi = r.x(view, o);
      const yi = r.y(view, o);
      if (!(ti >= lastT) || !Number.isSafeInteger(ti)) {
        fail(at + o - from, Number.isSafeInteger(ti) ? `t=${ti} is earlier than the previous record's ${lastT}` : `t=${ti} is not an integer number of µs within 2^53`);
        break;
      }
      if (!(xi >= 0 && xi < limitX && Number.isInteger(xi)) || !(yi >= 0 && yi < limitY && Number.isInteger(yi))) {
        fail(at + o - from, `record ${records + i}: (x=${xi}, y=${yi}) is outside 0..${limitX - 1} × 0..${limitY - 1}`);
        break;
      }
      lastT = ti;
      if (xi > maxX) maxX = xi;
      if (yi > maxY) maxY = yi;
      t[k] = ti;
      x[k] = xi;
      y[k] = yi;
      p[k] = r.p(view, o) > 0 ? 1 : 0;
      k++;
    }
    records += k - builder.length;
    builder.length = k;
  }

  /**
   * n records through the common-layout loop; a record it declines (a check failed, or a value at the edge
   * of its fast range) goes through `decodeGeneral`, which accepts it or words the error, and the loop resumes.
   */
  function decodeFast(view: DataView, from: number, at: number, n: number): void {
    const size = fast!.itemSize;
    builder.reserve(n);
    let done = 0;
    while (done < n && !failure) {
      result.lastT = lastT;
      result.maxX = maxX;
      result.maxY = maxY;
      decodeCommonRecords(fast!, view, from + done * size, n - done, builder, builder.length, limitX, limitY, result);
      lastT = result.lastT;
      maxX = result.maxX;
      maxY = result.maxY;
      records += result.written;
      builder.length += result.written;
      done += result.written;
      if (done < n) {
        decodeGeneral(view, from + done * size, at + done * size, 1);
        done++;
      }
    }
  }

  /** The builder's events as views of its arrays (sized for this push, so no copy); the next push starts a new one. */
  function handOver(geo: Geometry): EventBatch {
    const n = builder.length;
    const batch = makeBatch(geo, builder.t.subarray(0, n), builder.x.subarray(0, n), builder.y.subarray(0, n), builder.p.subarray(0, n));
    builder.length = 0;
    builder = new EventBatchBuilder(1);
    return batch;
  }

  function take(final: boolean): EventBatch {
    if (geometry === undefined && !final) {
      if (builder.length > 0) held.push(handOver({ width: 1, height: 1 }));
      return emptyBatch({ width: 1, height: 1 });
    }
    if (geometry === undefined) {
      geometry = { width: maxX + 1, height: maxY + 1 };
      stats.header.warning = `geometry ${geometry.width}x${geometry.height} inferred from the largest x and y (NPY has no geometry; give --width/--height)`;
    }
    if (held.length > 0) {
      if (builder.length > 0) held.push(handOver(geometry));
      const all = concatBatches(held, geometry);
      held.length = 0;
      return all;
    }
    return builder.length === 0 ? emptyBatch(geometry) : handOver(geometry);
  }

  return {
    get geometry() {
      return geometry;
    },
    stats,
    push(chunk) {
      if (failure) throw failure;
      let from = 0;
      if (!header) from = readHeader(chunk);
      if (header && !failure) {
        const size = header.layout.itemSize;
        const most = Math.min(header.count - records, Math.floor((carried + chunk.length - from) / size));
        if (most > 1) builder = new EventBatchBuilder(most);
        if (carried > 0) {
          const fill = Math.min(size - carried, chunk.length - from);
          carry.set(chunk.subarray(from, from + fill), carried);
          carried += fill;
          from += fill;
          if (carried === size) {
            decodeRecords(carry, 0, offset + from - size);
            carried = 0;
          }
        }
        if (!failure && carried === 0) {
          from += decodeRecords(chunk, from, offset + from);
          const rest = chunk.length - from;
          if (rest > 0 && records >= header.count) {
            fail(offset + from, `${rest} byte(s) after the ${header.count} records the header announces`);
          } else if (rest > 0) {
            carry.set(chunk.subarray(from), 0);
            carried = rest;
          }
        }
      }
      offset += chunk.length;
      return take(false);
    },
    end() {
      if (failure) throw failure;
      if (!header) throw new DecodeError(options.file, offset, `file ends inside the NPY header (${headFilled} bytes)`);
      if (records < header.count) {
        throw new DecodeError(options.file, offset, `file ends after ${records} of the ${header.count} records the header announces`);
      }
      return take(true);
    },
  };
}
