/**
 * A stable sort of one inter-frame interval's events by time, as a permutation: an LSD radix sort on digits of
 * at most 11 bits (1–2 passes for any frame interval below 4 s, 3 for the largest), so the counting tables stay
 * in L1 cache whatever the interval. Linear in the number of events and free of per-event objects. Ties keep
 * their generation order (row-major pixels), so the output is deterministic.
 */
export class TimeSorter {
  private readonly counts = new Uint32Array(2049);
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
    const bits = maxKey > 0 ? 32 - Math.clz32(maxKey) : 1;
    const passes = Math.ceil(bits / 11);
    const digitBits = Math.ceil(bits / passes);
    // Ping-pong so that the last pass writes into `order`.
    let input: Uint32Array | null = null;
    let output = passes % 2 === 1 ? this.order : this.spare;
    for (let pass = 0; pass < passes; pass++) {
      this.pass(keys, n, input, output, pass * digitBits, digitBits);
      input = output;
      output = output === this.order ? this.spare : this.order;
    }
    return this.order;
  }

  /** One stable counting pass on the digit `(key >>> shift) & mask`, visiting `input` order (or 0..n). */
  private pass(keys: Uint32Array, n: number, input: Uint32Array | null, output: Uint32Array, shift: number, digitBits: number): void {
    const counts = this.counts;
    const buckets = 1 << digitBits;
    const mask = buckets - 1;
    counts.fill(0, 0, buckets + 1);
    for (let j = 0; j < n; j++) counts[((keys[j] >>> shift) & mask) + 1]++;
    for (let b = 0; b < buckets; b++) counts[b + 1] += counts[b];
    if (input === null) {
      for (let j = 0; j < n; j++) output[counts[(keys[j] >>> shift) & mask]++] = j;
    } else {
      for (let j = 0; j < n; j++) {
        const index = input[j];
        output[counts[(keys[index] >>> shift) & mask]++] = index;
      }
    }
  }
}
