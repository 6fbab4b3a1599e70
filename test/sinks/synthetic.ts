import { makeBatch, type EventBatch } from '../../src/events/eventBatch.ts';

/** A deterministic event stream (seeded LCG): sorted t with repeats and gaps, x < width, y < height. */
export function syntheticEvents(n: number, seed = 1, width = 640, height = 480, t0 = 1_000): EventBatch {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state;
  };
  const t = new Float64Array(n);
  const x = new Uint16Array(n);
  const y = new Uint16Array(n);
  const p = new Uint8Array(n);
  let time = t0;
  for (let i = 0; i < n; i++) {
    time += next() % 4 === 0 ? 0 : next() % 50;
    t[i] = time;
    x[i] = next() % width;
    y[i] = next() % height;
    p[i] = next() & 1;
  }
  return makeBatch({ width, height }, t, x, y, p);
}

/** Splits a batch into consecutive batches of the given sizes (copies). */
export function splitEvents(batch: EventBatch, sizes: number[]): EventBatch[] {
  const parts: EventBatch[] = [];
  let start = 0;
  for (const size of sizes) {
    const end = Math.min(batch.length, start + size);
    parts.push(makeBatch(batch, batch.t.slice(start, end), batch.x.slice(start, end), batch.y.slice(start, end), batch.p.slice(start, end)));
    start = end;
  }
  return parts;
}
