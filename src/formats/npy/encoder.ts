import { open } from 'node:fs/promises';
import { ConfigError } from '../../errors.ts';
import type { EventBatch } from '../../events/eventBatch.ts';
import { checkEvents } from '../checkEvents.ts';
import type { EncoderOptions } from '../types.ts';
import { NPY_MAGIC } from './header.ts';

/** What spikeflow writes: packed little-endian records `<i8 t, <u2 x, <u2 y, u1 p` (13 bytes). */
export const NPY_RECORD_BYTES = 13;
const DESCR = "[('t', '<i8'), ('x', '<u2'), ('y', '<u2'), ('p', '|u1')]";
/** Header length fixed in advance (room for any count up to 2^53) so the count can be patched in place. */
const HEADER_BYTES = 128;

/** A version 1.0 header announcing `count` records, padded with spaces to 128 bytes as NumPy aligns it. */
export function npyHeader(count: number): Uint8Array {
  const dict = `{'descr': ${DESCR}, 'fortran_order': False, 'shape': (${count},), }`;
  const text = dict.padEnd(HEADER_BYTES - 10 - 1, ' ') + '\n';
  const out = new Uint8Array(HEADER_BYTES);
  out.set(NPY_MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out[8] = (HEADER_BYTES - 10) & 0xff;
  out[9] = (HEADER_BYTES - 10) >> 8;
  for (let i = 0; i < text.length; i++) out[10 + i] = text.charCodeAt(i);
  return out;
}

/** The records of a batch (already checked) as bytes. */
export function npyRecords(batch: EventBatch): Uint8Array {
  const out = new Uint8Array(batch.length * NPY_RECORD_BYTES);
  const view = new DataView(out.buffer);
  for (let i = 0, o = 0; i < batch.length; i++, o += NPY_RECORD_BYTES) {
    const t = batch.t[i]!;
    view.setUint32(o, t % 4294967296, true);
    view.setUint32(o + 4, Math.floor(t / 4294967296), true);
    view.setUint16(o + 8, batch.x[i]!, true);
    view.setUint16(o + 10, batch.y[i]!, true);
    out[o + 12] = batch.p[i]! & 1;
  }
  return out;
}

/**
 * Writes an NPY file: a placeholder header, the records as batches arrive (constant memory), then the real
 * count patched into the header. NPY has no place for the geometry (NumPy rejects extra header keys), so a
 * reader needs --width/--height or infers max + 1.
 */
export async function writeNpyFile(path: string, batches: AsyncIterable<EventBatch>, options: EncoderOptions): Promise<void> {
  const { width, height } = options;
  if (width > 65536 || height > 65536) throw new ConfigError('geometry', `${width}x${height}`, 'x and y are written as uint16');
  const handle = await open(path, 'w');
  try {
    await handle.write(npyHeader(0), 0, HEADER_BYTES, 0);
    let position = HEADER_BYTES;
    let count = 0;
    let lastT = 0;
    for await (const batch of batches) {
      lastT = checkEvents(batch, width, height, lastT);
      const bytes = npyRecords(batch);
      await handle.write(bytes, 0, bytes.length, position);
      position += bytes.length;
      count += batch.length;
    }
    await handle.write(npyHeader(count), 0, HEADER_BYTES, 0);
  } finally {
    await handle.close();
  }
}
