import { concatBatches, type EventBatch } from '../events/eventBatch.ts';
import type { DecodeStats } from '../formats/types.ts';
import { openEventFile, type OpenEventFileOptions } from './openEventFile.ts';

/** Decodes a whole file into one batch (for tests and small files; streams use fromFile). */
export async function readAllEvents(
  path: string,
  options: OpenEventFileOptions = {},
): Promise<{ events: EventBatch; format: string; stats: DecodeStats }> {
  const file = await openEventFile(path, options);
  const parts: EventBatch[] = [];
  for await (const batch of file.batches()) parts.push(batch);
  const geometry = file.geometry() ?? { width: options.width ?? 1, height: options.height ?? 1 };
  return { events: concatBatches(parts, geometry), format: file.format.name, stats: file.stats() };
}
