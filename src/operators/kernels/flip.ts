import type { EventBatch } from '../../events/eventBatch.ts';
import { withArrays } from './gather.ts';

/** Mirrors the events: `flipX` maps x to width-1-x (left-right), `flipY` maps y to height-1-y (up-down). */
export function flipKernel(batch: EventBatch, flipX: boolean, flipY: boolean): EventBatch {
  return withArrays(
    batch,
    batch,
    batch.t.slice(),
    flipX ? mirror(batch.x, batch.length, batch.width - 1) : batch.x.slice(),
    flipY ? mirror(batch.y, batch.length, batch.height - 1) : batch.y.slice(),
    batch.p.slice(),
  );
}

function mirror(values: Uint16Array, n: number, last: number): Uint16Array {
  const out = new Uint16Array(n);
  for (let i = 0; i < n; i++) out[i] = last - values[i];
  return out;
}
