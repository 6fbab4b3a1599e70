import { concatBatches, type EventBatch } from '../../../src/events/eventBatch.ts';
import type { EventDecoder } from '../../../src/formats/types.ts';

/** Feeds `bytes` to a fresh decoder in chunks of `chunkSize` and returns all events (end() included). */
export function decodeInChunks(makeDecoder: () => EventDecoder, bytes: Uint8Array, chunkSize: number, callEnd = true): EventBatch {
  const decoder = makeDecoder();
  const parts: EventBatch[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) {
    // A copy per chunk, as the file source gives: decoders must not rely on earlier chunks staying intact.
    parts.push(decoder.push(bytes.slice(i, i + chunkSize)));
  }
  if (callEnd) parts.push(decoder.end());
  return concatBatches(parts, decoder.geometry ?? { width: 1, height: 1 });
}

/** Every event field, for exact comparisons in failure messages and equality checks. */
export function sameEvents(a: EventBatch, b: EventBatch): boolean {
  if (a.length !== b.length || a.width !== b.width || a.height !== b.height) return false;
  for (let i = 0; i < a.length; i++) {
    if (a.t[i] !== b.t[i] || a.x[i] !== b.x[i] || a.y[i] !== b.y[i] || a.p[i] !== b.p[i]) return false;
  }
  return sameTriggers(a, b);
}

function sameTriggers(a: EventBatch, b: EventBatch): boolean {
  const ta = a.triggers;
  const tb = b.triggers;
  if (!ta || !tb) return (ta?.length ?? 0) === (tb?.length ?? 0);
  if (ta.length !== tb.length) return false;
  for (let i = 0; i < ta.length; i++) {
    if (ta.t[i] !== tb.t[i] || ta.id[i] !== tb.id[i] || ta.value[i] !== tb.value[i]) return false;
  }
  return true;
}

/** A seeded xorshift32 generator, so fuzz tests are reproducible. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/** A copy of `bytes` with a few random bytes overwritten, a random cut, or a random insertion. */
export function mutate(bytes: Uint8Array, random: () => number, protectPrefix = 0): Uint8Array {
  const kind = Math.floor(random() * 3);
  if (kind === 0) {
    const cut = protectPrefix + Math.floor(random() * (bytes.length - protectPrefix));
    return bytes.slice(0, cut);
  }
  const out = bytes.slice();
  const flips = 1 + Math.floor(random() * 4);
  for (let i = 0; i < flips; i++) {
    const at = protectPrefix + Math.floor(random() * (out.length - protectPrefix));
    out[at] = kind === 1 ? Math.floor(random() * 256) : out[at]! ^ (1 << Math.floor(random() * 8));
  }
  return out;
}
