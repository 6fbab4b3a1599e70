import { ConfigError } from '../../errors.ts';
import type { EventBatch } from '../../events/eventBatch.ts';
import { checkEvents } from '../checkEvents.ts';
import type { EncoderOptions } from '../types.ts';
import { loadH5 } from './library.ts';

/** Chunk length of the extensible datasets (elements). */
const CHUNK = 1 << 16;

interface Extensible {
  resize(shape: number[]): number;
  write_slice(ranges: [number, number][], data: unknown): void;
}

/**
 * Writes the DSEC layout: `/events/{t,x,y,p}` (t int64 µs relative to `/t_offset`, x/y uint16, p uint8),
 * scalar `/t_offset` (the first event's t), `/ms_to_idx` (uint64: index of the first event with relative
 * t >= ms × 1000, for every ms up to the last event's), and root attributes `width`, `height`.
 * Batches are appended to chunked, extensible datasets, so memory stays bounded.
 */
export async function writeHdf5File(path: string, batches: AsyncIterable<EventBatch>, options: EncoderOptions): Promise<void> {
  const { width, height } = options;
  if (width > 65536 || height > 65536) throw new ConfigError('geometry', `${width}x${height}`, 'x and y are written as uint16');
  const { h5 } = await loadH5();
  const file = new h5.File(path, 'w');
  try {
    file.create_attribute('width', width, null, '<i4');
    file.create_attribute('height', height, null, '<i4');
    const events = file.create_group('events');
    const column = (name: string, dtype: string) =>
      events.create_dataset({ name, data: [], shape: [0], dtype, maxshape: [null], chunks: [CHUNK] }) as unknown as Extensible;
    const t = column('t', '<q');
    const x = column('x', '<H');
    const y = column('y', '<H');
    const p = column('p', '|B');
    const msToIdx = file.create_dataset({ name: 'ms_to_idx', data: [], shape: [0], dtype: '<Q', maxshape: [null], chunks: [CHUNK] }) as unknown as Extensible;
    let count = 0;
    let msCount = 0;
    let tOffset: number | undefined;
    let lastT = 0;
    for await (const batch of batches) {
      if (batch.length === 0) continue;
      lastT = checkEvents(batch, width, height, lastT);
      tOffset ??= batch.t[0]!;
      const n = batch.length;
      const relative = new BigInt64Array(n);
      const marks: bigint[] = [];
      for (let i = 0; i < n; i++) {
        const r = batch.t[i]! - tOffset;
        relative[i] = BigInt(r);
        while (msCount * 1000 <= r) {
          marks.push(BigInt(count + i));
          msCount++;
        }
      }
      const range: [number, number][] = [[count, count + n]];
      for (const [ds, data] of [[t, relative], [x, batch.x], [y, batch.y], [p, batch.p]] as const) {
        ds.resize([count + n]);
        ds.write_slice(range, data);
      }
      if (marks.length > 0) {
        msToIdx.resize([msCount]);
        msToIdx.write_slice([[msCount - marks.length, msCount]], BigUint64Array.from(marks));
      }
      count += n;
    }
    file.create_dataset({ name: 't_offset', data: BigInt64Array.of(BigInt(tOffset ?? 0)), shape: [], dtype: '<q' });
  } finally {
    file.close();
  }
}
