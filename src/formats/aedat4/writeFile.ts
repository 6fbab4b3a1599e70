import { open } from 'node:fs/promises';
import type { EventBatch } from '../../events/eventBatch.ts';
import { Aedat4Encoder, type Aedat4EncoderOptions } from './encoder.ts';

/**
 * Writes a complete AEDAT 4.0 file, data table included: streams the packets, appends the table, then
 * rewrites the header's dataTablePosition in place (the one thing a pure byte stream cannot do).
 */
export async function writeAedat4File(
  path: string,
  batches: AsyncIterable<EventBatch>,
  options: Aedat4EncoderOptions,
): Promise<void> {
  const encoder = new Aedat4Encoder({ ...options, dataTable: true });
  const handle = await open(path, 'w');
  try {
    await handle.write(encoder.header());
    for await (const batch of batches) {
      const bytes = encoder.encode(batch);
      if (bytes.length > 0) await handle.write(bytes);
    }
    await handle.write(encoder.end());
    const patch = encoder.headerPatch();
    await handle.write(patch.bytes, 0, patch.bytes.length, patch.offset);
  } finally {
    await handle.close();
  }
}
