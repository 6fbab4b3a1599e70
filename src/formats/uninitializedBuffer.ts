import { raiseMallocThresholds } from './mallocThresholds.ts';

/**
 * Memory that is not zeroed first (Node's allocUnsafeSlow), for decoders' output arrays: every event slot is
 * written before it is read, and zeroing megabytes per chunk (then touching them again) is a measurable share
 * of a decode. Whoever hands such memory out must clear the part no event was written to, so that no stale
 * memory is ever reachable through `batch.t.buffer`.
 */
export function uninitializedBuffer(bytes: number): ArrayBuffer {
  // Fresh arrays per batch only stay cheap while freed ones are reused (see mallocThresholds.ts).
  raiseMallocThresholds();
  // Below a page or so, zeroing costs less than Node's unpooled allocation.
  return bytes < 16384 ? new ArrayBuffer(bytes) : (Buffer.allocUnsafeSlow(bytes).buffer as ArrayBuffer);
}
