import type { EventBatch } from '../../events/eventBatch.ts';
import { mirrored } from './coordinatePairs.ts';
import { withArrays } from './gather.ts';

/** Mirrors the events: `flipX` maps x to width-1-x (left-right), `flipY` maps y to height-1-y (up-down). */
export function flipKernel(batch: EventBatch, flipX: boolean, flipY: boolean): EventBatch {
  return withArrays(
    batch,
    batch,
    batch.t.slice(),
    flipX ? mirrored(batch.x, batch.width - 1) : batch.x.slice(),
    flipY ? mirrored(batch.y, batch.height - 1) : batch.y.slice(),
    batch.p.slice(),
  );
}
