import type { EventBatch } from '../../events/eventBatch.ts';
import { withArrays } from './gather.ts';

/** ON becomes OFF and OFF becomes ON (for sensors wired the other way round, or negative displays). */
export function invertPolarityKernel(batch: EventBatch): EventBatch {
  const n = batch.length;
  const src = batch.p;
  const p = new Uint8Array(n);
  for (let i = 0; i < n; i++) p[i] = src[i] ^ 1;
  return withArrays(batch, batch, batch.t.slice(), batch.x.slice(), batch.y.slice(), p);
}
