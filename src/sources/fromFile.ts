import { defer, from, switchMap, type Observable } from 'rxjs';
import type { EventBatch } from '../events/eventBatch.ts';
import { fromAsyncBatches } from './fromAsyncBatches.ts';
import { openEventFile, type OpenEventFileOptions } from './openEventFile.ts';

/**
 * Events of a recording, as a cold, pull-paced stream: the file is opened on subscribe, the next chunk is read
 * only after the previous batch was handled, and unsubscribing stops reading and closes the file. The format
 * is detected from the header unless `options.format` names it.
 */
export function fromFile(path: string, options: OpenEventFileOptions = {}): Observable<EventBatch> {
  return defer(() => from(openEventFile(path, options))).pipe(
    switchMap((file) => fromAsyncBatches(() => file.batches())),
  );
}
