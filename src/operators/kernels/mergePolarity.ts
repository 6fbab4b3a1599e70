import type { EventBatch } from '../../events/eventBatch.ts';
import { withArrays } from './gather.ts';

/** Every event gets polarity `polarity`: downstream stages that split channels by polarity then see one. */
export function mergePolarityKernel(batch: EventBatch, polarity: 0 | 1): EventBatch {
  return withArrays(
    batch,
    batch,
    batch.t.slice(),
    batch.x.slice(),
    batch.y.slice(),
    new Uint8Array(batch.length).fill(polarity),
  );
}
