import { open } from 'node:fs/promises';
import { makeBatch, type EventBatch } from '../src/events/eventBatch.ts';
import { formatByName } from '../src/formats/registry.ts';

/**
 * Writes `events` repeated in time as an EVT 2.0 file, each copy starting right after the previous one ends, until
 * `copies` copies or `targetBytes` bytes are written (whichever the caller gives): a long recording of real
 * activity for the steady-state and peak-RSS benchmarks.
 */
export async function writeTiledEvt2(
  path: string, events: EventBatch, until: { readonly copies: number } | { readonly targetBytes: number },
): Promise<{ bytes: number; repeats: number }> {
  const span = events.t[events.length - 1]! - events.t[0]! + 1;
  const encoder = formatByName('evt2').createEncoder!({ width: events.width, height: events.height });
  const more = (repeats: number, bytes: number) => ('copies' in until ? repeats < until.copies : bytes < until.targetBytes);
  const handle = await open(path, 'w');
  let bytes = 0;
  let repeats = 0;
  try {
    const header = encoder.header();
    await handle.write(header);
    bytes += header.length;
    const t = new Float64Array(events.length);
    while (more(repeats, bytes)) {
      for (let i = 0; i < events.length; i++) t[i] = events.t[i]! - events.t[0]! + repeats * span;
      const chunk = encoder.encode(makeBatch(events, t, events.x, events.y, events.p));
      await handle.write(chunk);
      bytes += chunk.length;
      repeats++;
    }
    const end = encoder.end();
    await handle.write(end);
    bytes += end.length;
  } finally {
    await handle.close();
  }
  return { bytes, repeats };
}
