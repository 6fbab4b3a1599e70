/**
 * A stable sort of one inter-frame interval's events by time, as a permutation: counting sort when the
 * interval spans fewer than 65536 µs (every 30 fps video), else an LSD radix sort on 16-bit digits. Linear in
 * the number of events and free of per-event objects. Ties keep their generation order (row-major pixels),
 * so the output is deterministic.
 */
export class TimeSorter {
  private counts = new Uint32Array(65537);
  private order = new Uint32Array(0);
  private spare = new Uint32Array(0);

  /**
   * `keys[0..n)` are offsets in µs from the interval start (0..maxKey, maxKey < 2^32). Returns indices
   * ordering the keys ascending; the array is reused by the next call.
   */
  sort(keys: Uint32Array, n: number, maxKey: number): Uint32Array {
    if (this.order.length < n) {
      this.order = new Uint32Array(Math.max(n, this.order.length * 2));
      this.spare = new Uint32Array(this.order.length);
    }
    if (maxKey < 65536) {
      this.pass(keys, n, null, this.order, 0, maxKey + 1);
      return this.order;
    }
    // Low digit first into `spare`, then the high digit (stable) into `order`.
    this.pass(keys, n, null, this.spare, 0, 65536);
    this.pass(keys, n, this.spare, this.order, 16, 65536);
    return this.order;
  }

  /** One stable counting pass over the digit `(key >>> shift) & 0xffff`, visiting `input` order (or 0..n). */
  private pass(keys: Uint32Array, n: number, input: Uint32Array | null, output: Uint32Array, shift: number, buckets: number): void {
    const counts = this.counts;
    counts.fill(0, 0, buckets + 1);
    for (let j = 0; j < n; j++) counts[((keys[j] >>> shift) & 0xffff) + 1]++;
    for (let b = 0; b < buckets; b++) counts[b + 1] += counts[b];
    if (input === null) {
      for (let j = 0; j < n; j++) output[counts[(keys[j] >>> shift) & 0xffff]++] = j;
    } else {
      for (let j = 0; j < n; j++) {
        const index = input[j];
        output[counts[(keys[index] >>> shift) & 0xffff]++] = index;
      }
    }
  }
}
