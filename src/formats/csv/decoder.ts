import { DecodeError } from '../../errors.ts';
import { concatBatches, emptyBatch, type EventBatch } from '../../events/eventBatch.ts';
import { EventBatchBuilder } from '../../events/eventBatchBuilder.ts';
import { MAX_SENSOR_SIZE, type Geometry } from '../../events/geometry.ts';
import type { DecodeStats, DecoderOptions, EventDecoder } from '../types.ts';
import { geometryComment, mapHeader, type Field, type TimeUnit } from './columns.ts';
import { lastParse, parseNumber, secondsToMicros } from './parseNumber.ts';
import { decodePlainLines, type PlainLineState } from './plainLines.ts';

export interface CsvDecoderOptions extends DecoderOptions {
  /** Forces the unit of t; otherwise the header's unit, else a decimal point or exponent ⇒ seconds. */
  readonly timeUnit?: TimeUnit;
}

const NEWLINE = 0x0a;
const MAX_LINE_BYTES = 1 << 16;

/**
 * Incremental CSV/TXT decoder for `t x y p` lines (comma, semicolon, tab or space separated, optional
 * header naming the columns in any order, `#` comments). Seconds are rounded to the nearest µs.
 * Geometry: --width/--height, else a `# width height` comment before the first event, else max + 1 —
 * in that last case the events are held until the end (memory grows with the file) and stats.header.warning
 * says so.
 */
export function createCsvDecoder(options: CsvDecoderOptions): EventDecoder {
  const stats: DecodeStats = { triggers: 0, skipped: {}, header: {} };
  const builder = new EventBatchBuilder(4096);
  let geometry: Geometry | undefined =
    options.width !== undefined && options.height !== undefined
      ? { width: options.width, height: options.height }
      : undefined;
  let unit: TimeUnit | undefined = options.timeUnit;
  let index: Record<Field, number> = { t: 0, x: 1, y: 2, p: 3 };
  let columns = 4;
  let sawData = false;
  let sawHeader = false;
  let lastT = -Infinity;
  let maxX = 0;
  let maxY = 0;
  const held: EventBatch[] = []; // only when the geometry is inferred at the end
  let carry = new Uint8Array(256);
  let carried = 0;
  let offset = 0; // file offset of the next byte pushed
  let lineNumber = 0;
  let failure: DecodeError | undefined;
  let comments = 0;
  const starts = new Int32Array(64);
  // Fast path for plain integer lines, ready once the first data line fixed the columns and the unit.
  let plain: PlainLineState | undefined;
  const values = new Float64Array(64);
  const ends = new Int32Array(64);

  const fail = (at: number, what: string) => {
    failure ??= new DecodeError(options.file, at, `line ${lineNumber}: ${what}`);
  };

  function latin1(bytes: Uint8Array, s: number, e: number): string {
    let out = '';
    for (let i = s; i < e; i++) out += String.fromCharCode(bytes[i]!);
    return out;
  }

  /** Splits bytes[s..e) into fields; returns the count (at most 64). */
  function split(bytes: Uint8Array, s: number, e: number): number {
    let n = 0;
    let i = s;
    while (i < e && n < 64) {
      while (i < e && isSeparator(bytes[i]!)) i++;
      if (i >= e) break;
      starts[n] = i;
      while (i < e && !isSeparator(bytes[i]!)) i++;
      ends[n++] = i;
    }
    return n;
  }

  function line(bytes: Uint8Array, s: number, e: number, at: number): void {
    lineNumber++;
    if (e > s && bytes[e - 1] === 0x0d) e--;
    let first = s;
    while (first < e && (bytes[first] === 0x20 || bytes[first] === 0x09)) first++;
    if (first >= e) return;
    if (bytes[first] === 0x23) {
      comments++;
      const geo = sawData ? undefined : geometryComment(latin1(bytes, first, e));
      if (geo && geometry === undefined) {
        if (geo.width < 1 || geo.height < 1 || geo.width > MAX_SENSOR_SIZE || geo.height > MAX_SENSOR_SIZE) {
          fail(at, `geometry comment ${geo.width}×${geo.height} is outside 1..${MAX_SENSOR_SIZE}`);
          return;
        }
        geometry = geo;
        stats.header.geometry = `${geo.width}x${geo.height}`;
      }
      return;
    }
    const n = split(bytes, first, e);
    const tv = parseNumber(bytes, starts[index.t]!, ends[index.t]!);
    const tDecimal = lastParse.decimal;
    if (!sawData && !sawHeader && (n < columns || Number.isNaN(tv))) {
      const names: string[] = [];
      for (let k = 0; k < n; k++) names.push(latin1(bytes, starts[k]!, ends[k]!));
      const mapped = mapHeader(names);
      if (typeof mapped === 'string') return fail(at, mapped);
      index = mapped.index;
      columns = Math.max(index.t, index.x, index.y, index.p) + 1;
      unit ??= mapped.unit;
      sawHeader = true;
      stats.header.columns = names.join(',');
      return;
    }
    if (n < columns) return fail(at, `expected ${columns} fields, found ${n}`);
    if (Number.isNaN(tv)) return fail(at, `t is not a number: "${field(bytes, index.t)}"`);
    if (!sawData) {
      unit ??= tDecimal ? 's' : 'us';
      stats.header.timeUnit = unit;
      sawData = true;
    }
    let t: number;
    if (unit === 's') t = secondsToMicros(bytes, starts[index.t]!, ends[index.t]!);
    else if (Number.isInteger(tv)) t = tv;
    else return fail(at, `t=${field(bytes, index.t)} is not an integer number of µs (earlier lines were µs; force seconds with timeUnit 's')`);
    if (!Number.isSafeInteger(t)) return fail(at, `t=${field(bytes, index.t)} is beyond 2^53 µs`);
    if (t < lastT) return fail(at, `t=${t} µs is earlier than the previous line's ${lastT} µs`);
    const x = parseNumber(bytes, starts[index.x]!, ends[index.x]!);
    const y = parseNumber(bytes, starts[index.y]!, ends[index.y]!);
    if (!Number.isInteger(x) || x < 0 || x >= (geometry?.width ?? MAX_SENSOR_SIZE)) {
      return fail(at, `x=${field(bytes, index.x)} is not an integer in 0..${(geometry?.width ?? MAX_SENSOR_SIZE) - 1}`);
    }
    if (!Number.isInteger(y) || y < 0 || y >= (geometry?.height ?? MAX_SENSOR_SIZE)) {
      return fail(at, `y=${field(bytes, index.y)} is not an integer in 0..${(geometry?.height ?? MAX_SENSOR_SIZE) - 1}`);
    }
    const p = parseNumber(bytes, starts[index.p]!, ends[index.p]!);
    if (p !== 0 && p !== 1 && p !== -1) return fail(at, `p=${field(bytes, index.p)} is not 0, 1 or -1`);
    lastT = t;
    if (x > maxX) maxX = x;
    if (y > maxY) maxY = y;
    builder.push(t, x, y, p === 1 ? 1 : 0);
  }

  /** The whole lines of chunk[s..end): plain ones through the fast path, any other through `line`. */
  function lines(chunk: Uint8Array, s: number, end: number): void {
    while (s < end && !failure) {
      if (sawData) {
        plain ??= {
          it: index.t, ix: index.x, iy: index.y, ip: index.p, columns, seconds: unit === 's',
          limitX: geometry?.width ?? MAX_SENSOR_SIZE, limitY: geometry?.height ?? MAX_SENSOR_SIZE,
          lastT, maxX, maxY, lines: 0,
        };
        plain.lastT = lastT;
        plain.maxX = maxX;
        plain.maxY = maxY;
        // A plain line has at least 2 bytes per column (and at least 4 columns).
        builder.reserve(((end - s) >> 3) + 1);
        const { next, written } = decodePlainLines(chunk, s, end, builder, builder.length, plain, values);
        builder.length += written;
        lineNumber += plain.lines;
        lastT = plain.lastT;
        maxX = plain.maxX;
        maxY = plain.maxY;
        s = next;
        if (s >= end) return;
      }
      const nl = chunk.indexOf(NEWLINE, s);
      line(chunk, s, nl, offset + s);
      s = nl + 1;
    }
  }

  function field(bytes: Uint8Array, k: number): string {
    return latin1(bytes, starts[k]!, Math.min(ends[k]!, starts[k]! + 40));
  }

  function take(final: boolean): EventBatch {
    stats.skipped.comments = comments;
    if (geometry === undefined && !final) {
      // The geometry will come from max + 1: keep the events until then.
      if (builder.length > 0) held.push(builder.take({ width: 1, height: 1 }));
      return emptyBatch({ width: 1, height: 1 });
    }
    if (geometry === undefined) {
      geometry = { width: maxX + 1, height: maxY + 1 };
      stats.header.warning = `geometry ${geometry.width}x${geometry.height} inferred from the largest x and y (no "# width height" line, no --width/--height)`;
    }
    if (held.length > 0) {
      if (builder.length > 0) held.push(builder.take(geometry));
      const all = concatBatches(held, geometry);
      held.length = 0;
      return all;
    }
    return builder.length === 0 ? emptyBatch(geometry) : builder.take(geometry);
  }

  function append(bytes: Uint8Array): void {
    if (carried + bytes.length > carry.length) {
      const bigger = new Uint8Array(Math.max(carry.length * 2, carried + bytes.length));
      bigger.set(carry.subarray(0, carried));
      carry = bigger;
    }
    carry.set(bytes, carried);
    carried += bytes.length;
  }

  return {
    get geometry() {
      return geometry;
    },
    stats,
    push(chunk) {
      if (failure) throw failure;
      let s = 0;
      let nl = chunk.indexOf(NEWLINE);
      if (carried > 0 && nl >= 0) {
        append(chunk.subarray(0, nl));
        line(carry, 0, carried, offset - (carried - nl));
        carried = 0;
        s = nl + 1;
        nl = chunk.indexOf(NEWLINE, s);
      }
      if (nl >= 0 && !failure) {
        const end = chunk.lastIndexOf(NEWLINE) + 1;
        lines(chunk, s, end);
        s = end;
      }
      if (!failure) {
        append(chunk.subarray(s));
        if (carried > MAX_LINE_BYTES) fail(offset + chunk.length - carried, `a line is longer than ${MAX_LINE_BYTES} bytes`);
      }
      offset += chunk.length;
      return take(false);
    },
    end() {
      if (failure) throw failure;
      if (carried > 0) {
        line(carry, 0, carried, offset - carried);
        carried = 0;
        if (failure) throw failure;
      }
      return take(true);
    },
  };
}

function isSeparator(b: number): boolean {
  return b === 0x2c || b === 0x20 || b === 0x09 || b === 0x3b;
}
