import { existsSync, readFileSync } from 'node:fs';
import { lastValueFrom, Observable, toArray, type OperatorFunction } from 'rxjs';
import { concatBatches, makeBatch, type EventBatch } from '../../src/events/eventBatch.ts';
import type { Geometry } from '../../src/events/geometry.ts';
import { bundled, sharedFile } from '../helpers/shared.ts';

/** One event as a row: [t µs, x, y, p]. */
export type Row = readonly [number, number, number, number];

export function batchOf(geometry: Geometry, rows: readonly Row[]): EventBatch {
  return makeBatch(
    geometry,
    Float64Array.from(rows, (r) => r[0]),
    Uint16Array.from(rows, (r) => r[1]),
    Uint16Array.from(rows, (r) => r[2]),
    Uint8Array.from(rows, (r) => r[3]),
  );
}

export function rowsOf(batch: EventBatch): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < batch.length; i++) rows.push([batch.t[i], batch.x[i], batch.y[i], batch.p[i]]);
  return rows;
}

/** A copy, to check later that an operator did not write into its input. */
export function snapshot(batch: EventBatch): Row[] {
  return rowsOf(batch);
}

/** Runs `batches` through `operator` and collects everything it emits. */
export function run<T>(batches: readonly EventBatch[], operator: OperatorFunction<EventBatch, T>): Promise<T[]> {
  const source = new Observable<EventBatch>((subscriber) => {
    for (const b of batches) subscriber.next(b);
    subscriber.complete();
  });
  return lastValueFrom(source.pipe(operator, toArray()));
}

/** Splits a batch into batches of `size` events (views), to feed a stream as a decoder would. */
export function chunks(batch: EventBatch, size: number): EventBatch[] {
  const out: EventBatch[] = [];
  for (let i = 0; i < batch.length; i += size) {
    const end = Math.min(batch.length, i + size);
    out.push(
      makeBatch(batch, batch.t.subarray(i, end), batch.x.subarray(i, end), batch.y.subarray(i, end), batch.p.subarray(i, end)),
    );
  }
  return out;
}

export function joined(batches: readonly EventBatch[], geometry: Geometry): EventBatch {
  return concatBatches(batches, geometry);
}

/**
 * The NCARS sample (Prophesee DAT v2, 4407 events, 100 ms of a car seen by an ATIS): bundled copy when the
 * recordings helper has placed it, else ../shared. Read here by a tiny DAT reader of our own, so these tests do
 * not depend on the format decoders: "% " header lines, 2 bytes (type, size = 8), then records of
 * uint32 t µs + uint32 (x bits 0..13, y bits 14..27, p bit 28).
 */
const NCARS = 'dat/expelliarmus_NCARS_obj_004397_td.dat';
export const ncarsPath = [bundled(NCARS), sharedFile(`recordings/${NCARS}`)].find((p) => existsSync(p));
export const NO_NCARS = `the NCARS sample is neither under recordings/ nor ../shared/recordings/ (${NCARS})`;

export function readNcars(): EventBatch {
  const bytes = readFileSync(ncarsPath!);
  let offset = 0;
  while (bytes[offset] === 0x25 && bytes[offset + 1] === 0x20) offset = bytes.indexOf(0x0a, offset) + 1;
  offset += 2; // event type and event size bytes
  const n = Math.floor((bytes.length - offset) / 8);
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, n * 8);
  const t = new Float64Array(n);
  const x = new Uint16Array(n);
  const y = new Uint16Array(n);
  const p = new Uint8Array(n);
  let width = 0;
  let height = 0;
  for (let i = 0; i < n; i++) {
    t[i] = view.getUint32(i * 8, true);
    const word = view.getUint32(i * 8 + 4, true);
    x[i] = word & 0x3fff;
    y[i] = (word >>> 14) & 0x3fff;
    p[i] = (word >>> 28) & 1;
    width = Math.max(width, x[i] + 1);
    height = Math.max(height, y[i] + 1);
  }
  // The file states no geometry; the crop it was cut from ends at x = 53, y = 60 (MANIFEST).
  return makeBatch({ width, height }, t, x, y, p);
}
