import { createHash } from 'node:crypto';
import type { EventBatch } from '../../src/events/eventBatch.ts';

/**
 * Per-field sha3-224 digests in faery's convention (tests/assets.py): t as uint64 LE, x and y as uint16 LE,
 * on as one byte per event. Equal digests mean equal events, field by field.
 */
export function fieldDigests(events: EventBatch): { t: string; x: string; y: string; on: string } {
  const t64 = new BigUint64Array(events.length);
  for (let i = 0; i < events.length; i++) t64[i] = BigInt(events.t[i]!);
  return {
    t: sha3(new Uint8Array(t64.buffer)),
    x: sha3(bytesOf(events.x)),
    y: sha3(bytesOf(events.y)),
    on: sha3(bytesOf(events.p)),
  };
}

function bytesOf(a: Uint16Array | Uint8Array): Uint8Array {
  // Both arrays are little-endian on every platform Node runs on that we support (x64, arm64).
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function sha3(bytes: Uint8Array): string {
  return createHash('sha3-224').update(bytes).digest('hex');
}
