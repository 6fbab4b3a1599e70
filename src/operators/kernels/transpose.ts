import type { EventBatch } from '../../events/eventBatch.ts';
import { withArrays } from './gather.ts';

/** Swaps the axes: (x, y) becomes (y, x) and a width × height sensor becomes height × width. */
export function transposeKernel(batch: EventBatch): EventBatch {
  return withArrays(
    batch,
    { width: batch.height, height: batch.width },
    batch.t.slice(),
    batch.y.slice(),
    batch.x.slice(),
    batch.p.slice(),
  );
}
