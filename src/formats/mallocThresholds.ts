/**
 * Puts glibc's allocator into the regime where decoders' output memory is reused instead of returned to the
 * system and faulted in again.
 *
 * Why: decoders hand out fresh t/x/y/p arrays per batch (consumers may keep them), and Node allocates those with
 * malloc. glibc starts with a 128 KiB mmap threshold and a 128 KiB trim threshold: after a GC frees a few MB of
 * batches, the top of the heap is given back with brk and the next batches fault every page in again (on this
 * machine a page fault costs several µs). glibc raises both thresholds the first time it frees an mmapped block
 * above the current threshold (mmap threshold = its size, trim threshold = twice that), so whether a process
 * decoded fast depended on whether something happened to free a big buffer early: the same code ran DAT at 15
 * to 110 Mev/s (7 to 12 page faults per decode) or at 215 to 325 (0.1 to 0.3) in fresh processes. Allocating and
 * dropping one big block does that on purpose, once: the block is never touched, so it costs address space,
 * not memory, and is freed by the next GC. Its size sets how much freed heap may stay mapped (twice the block)
 * instead of going back to the system right away: 12 MiB still left the DAT bench slow in some processes (it
 * frees ~35 MB of batches per scavenge), 20 and 30 MiB were equally fast, so 20. Other allocators ignore it.
 */
const PRIMING_BYTES = 20 * 1024 * 1024;

let primed = false;

/** Called before each output allocation (uninitializedBuffer.ts); only the first call does anything. */
export function raiseMallocThresholds(): void {
  if (primed) return;
  primed = true;
  Buffer.allocUnsafeSlow(PRIMING_BYTES);
}
