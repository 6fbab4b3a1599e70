import { open } from 'node:fs/promises';
import { DecodeError, SpikeflowError } from '../../errors.ts';
import { makeBatch, type EventBatch } from '../../events/eventBatch.ts';
import type { Geometry } from '../../events/geometry.ts';
import type { DecodeStats, DecoderOptions } from '../types.ts';
import { filterErrorFrom } from './filters.ts';
import { findLayout, type ColumnSource, type DatasetLike, type EventLayout } from './layout.ts';
import { hasHdf5Signature, loadH5 } from './library.ts';
import { readRaw, type RawModule } from './rawColumn.ts';

/** Events per slice: four columns of 2^18 elements keep a slice near 4 MB whatever the file's size. */
export const SLICE_EVENTS = 1 << 18;

/**
 * Reads an HDF5 event file slice by slice with h5wasm: DSEC (`/events/{x,y,t,p}`, `t_offset` added to t)
 * or Prophesee (`/CD/events`). Geometry: --width/--height, else root attributes `width`/`height` or
 * `geometry` ("WxH"), else max + 1 from a first pass over x and y (stats.header.warning says so).
 * DecodeError offsets are 0 (HDF5 is not a byte stream); messages give the event index instead.
 */
export function readHdf5File(path: string, options: DecoderOptions): AsyncIterable<EventBatch> & { readonly stats: DecodeStats } {
  const stats: DecodeStats = { triggers: 0, skipped: {}, header: {} };
  return {
    stats,
    async *[Symbol.asyncIterator]() {
      await checkSignature(path);
      const { h5, module } = await loadH5();
      let file: InstanceType<typeof h5.File>;
      try {
        file = new h5.File(path, 'r');
      } catch (error) {
        throw libraryError(path, 'opening the file', error);
      }
      try {
        const get = (p: string): DatasetLike | undefined => (exists(file, p) ? (file.get(p) as unknown as DatasetLike) : undefined);
        const layout = findLayout(path, get, file.keys());
        const raw = module as unknown as RawModule;
        const tOffset = layout.kind === 'dsec' ? readTOffset(file, path) : 0;
        stats.header.layout = layout.kind;
        stats.header.events = String(layout.count);
        if (tOffset !== 0) stats.header.t_offset = String(tOffset);
        if (exists(file, '/EXT_TRIGGER/events')) {
          const triggers = get('/EXT_TRIGGER/events')?.metadata.shape?.[0] ?? 0;
          stats.skipped['EXT_TRIGGER (not read)'] = triggers;
        }
        const geometry = options.width !== undefined && options.height !== undefined
          ? { width: options.width, height: options.height }
          : attributeGeometry(file) ?? scanGeometry(path, raw, file.file_id, layout, stats);
        let lastT = -Infinity;
        for (let start = 0; start < layout.count; start += SLICE_EVENTS) {
          const n = Math.min(SLICE_EVENTS, layout.count - start);
          const batch = readSlice(path, raw, file.file_id, layout, start, n, tOffset, geometry, lastT);
          if (batch.length > 0) lastT = batch.t[batch.length - 1]!;
          yield batch;
        }
      } catch (error) {
        throw libraryError(path, 'reading', error);
      } finally {
        try {
          file.close();
        } catch {
          // A damaged file may fail to close as well; the first error is the one to report.
        }
      }
    },
  };
}

/** Our own errors pass through; anything from h5wasm/libhdf5 becomes a DecodeError naming the file. */
function libraryError(path: string, doing: string, error: unknown): Error {
  if (error instanceof SpikeflowError) return error;
  // libhdf5's message is an error stack ("#000: file line N in H5Dread(): what" …); the innermost entry says
  // what actually went wrong.
  const text = String((error as Error)?.message ?? error);
  const entries = [...text.matchAll(/#\d+: .* in (\w+\(\)): (.*)$/gm)];
  const innermost = entries.at(-1);
  const message = innermost ? `${innermost[1]}: ${innermost[2]!.trim()}` : text.split('\n').find((l) => l.trim() !== '')?.trim() ?? 'unknown error';
  return filterErrorFrom(path, '(dataset)', error) ?? new DecodeError(path, 0, `HDF5 library error while ${doing}: ${message}`, { cause: error });
}

function readSlice(
  path: string,
  module: RawModule,
  fileId: bigint,
  layout: EventLayout,
  start: number,
  n: number,
  tOffset: number,
  geometry: Geometry,
  previousT: number,
): EventBatch {
  const views = new Map<string, DataView>();
  const view = (c: ColumnSource) => {
    let v = views.get(c.dataset);
    if (!v) {
      try {
        v = readRaw(module, fileId, c.dataset, start, n, c.elementSize);
      } catch (error) {
        throw filterErrorFrom(path, c.dataset, error) ?? new DecodeError(path, 0, `reading ${c.dataset}[${start}..${start + n}] failed: ${String(error)}`, { cause: error });
      }
      views.set(c.dataset, v);
    }
    return v;
  };
  const tv = view(layout.t);
  const xv = view(layout.x);
  const yv = view(layout.y);
  const pv = view(layout.p);
  const t = new Float64Array(n);
  const x = new Uint16Array(n);
  const y = new Uint16Array(n);
  const p = new Uint8Array(n);
  let last = previousT;
  for (let i = 0; i < n; i++) {
    const ti = layout.t.read(tv, i * layout.t.elementSize) + tOffset;
    const xi = layout.x.read(xv, i * layout.x.elementSize);
    const yi = layout.y.read(yv, i * layout.y.elementSize);
    if (!(ti >= last) || !Number.isSafeInteger(ti)) {
      throw new DecodeError(path, 0, `event ${start + i}: t=${ti} µs ${Number.isSafeInteger(ti) ? `is earlier than the previous ${last} µs` : 'is not an integer within 2^53'}`);
    }
    if (!(xi >= 0 && xi < geometry.width) || !(yi >= 0 && yi < geometry.height)) {
      throw new DecodeError(path, 0, `event ${start + i}: (x=${xi}, y=${yi}) is outside ${geometry.width}×${geometry.height}`);
    }
    last = ti;
    t[i] = ti;
    x[i] = xi;
    y[i] = yi;
    p[i] = layout.p.read(pv, i * layout.p.elementSize) > 0 ? 1 : 0;
  }
  return makeBatch(geometry, t, x, y, p);
}

function scanGeometry(path: string, module: RawModule, fileId: bigint, layout: EventLayout, stats: DecodeStats): Geometry {
  let maxX = 0;
  let maxY = 0;
  for (let start = 0; start < layout.count; start += SLICE_EVENTS) {
    const n = Math.min(SLICE_EVENTS, layout.count - start);
    const xv = readRaw(module, fileId, layout.x.dataset, start, n, layout.x.elementSize);
    const yv = layout.y.dataset === layout.x.dataset ? xv : readRaw(module, fileId, layout.y.dataset, start, n, layout.y.elementSize);
    for (let i = 0; i < n; i++) {
      const xi = layout.x.read(xv, i * layout.x.elementSize);
      const yi = layout.y.read(yv, i * layout.y.elementSize);
      if (xi > maxX) maxX = xi;
      if (yi > maxY) maxY = yi;
    }
  }
  if (maxX > 65535 || maxY > 65535) throw new DecodeError(path, 0, `coordinates up to x=${maxX}, y=${maxY} exceed 65535`);
  const geometry = { width: maxX + 1, height: maxY + 1 };
  stats.header.warning = `geometry ${geometry.width}x${geometry.height} inferred from the largest x and y (no width/height attributes; give --width/--height)`;
  return geometry;
}

interface FileLike {
  keys(): string[];
  get(path: string): unknown;
  attrs: Record<string, { value: unknown }>;
}

/** Whether a path exists, walked through keys() so that libhdf5 never reports a missing object. */
function exists(file: FileLike, path: string): boolean {
  let group: FileLike | null = file;
  const parts = path.split('/').filter(Boolean);
  for (let i = 0; i < parts.length; i++) {
    if (!group || typeof group.keys !== 'function' || !group.keys().includes(parts[i]!)) return false;
    if (i < parts.length - 1) group = group.get(parts.slice(0, i + 1).join('/')) as FileLike | null;
  }
  return true;
}

function readTOffset(file: FileLike, path: string): number {
  if (!exists(file, '/t_offset')) return 0;
  const value = (file.get('t_offset') as { value: unknown }).value;
  const v = typeof value === 'bigint' ? Number(value) : ArrayBuffer.isView(value) ? Number((value as unknown as ArrayLike<number | bigint>)[0]) : Number(value);
  if (!Number.isSafeInteger(v)) throw new DecodeError(path, 0, `t_offset ${String(value)} is not an integer number of µs`);
  return v;
}

function attributeGeometry(file: FileLike): Geometry | undefined {
  const attrs = file.attrs ?? {};
  const num = (k: string) => (k in attrs ? Number(attrs[k]!.value) : NaN);
  const w = num('width');
  const h = num('height');
  if (Number.isInteger(w) && Number.isInteger(h) && w > 0 && h > 0) return { width: w, height: h };
  const g = 'geometry' in attrs ? /^(\d+)\s*x\s*(\d+)$/.exec(String(attrs.geometry!.value)) : null;
  return g ? { width: Number(g[1]), height: Number(g[2]) } : undefined;
}

async function checkSignature(path: string): Promise<void> {
  const handle = await open(path, 'r').catch((error: unknown) => {
    throw new DecodeError(path, 0, `cannot open: ${(error as Error).message}`, { cause: error });
  });
  try {
    const { size } = await handle.stat();
    const head = new Uint8Array(8);
    // The superblock may follow a user block of 512, 1024, 2048, … bytes.
    for (let at = 0; at + 8 <= size; at = at === 0 ? 512 : at * 2) {
      await handle.read(head, 0, 8, at);
      if (hasHdf5Signature(head)) return;
    }
    throw new DecodeError(path, 0, 'not an HDF5 file (no HDF5 signature at byte 0 or after a user block)');
  } finally {
    await handle.close();
  }
}

