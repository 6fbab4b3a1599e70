const NO_BYTES = new Uint8Array(0);

/**
 * Hands a decoder whole words at a memory-aligned address, so it can read them through Uint16Array/Uint32Array
 * views: the bytes of a word cut by a chunk boundary are kept and completed by the next chunk. A chunk that is
 * already aligned and has no pending bytes is passed through without copying.
 */
export class WordAligner {
  private scratch = NO_BYTES;
  private readonly carry: Uint8Array;
  private carryLength = 0;

  /** `aligned`: whether words must start at a multiple of wordBytes in memory (else only cut words are joined). */
  constructor(
    readonly wordBytes: number,
    private readonly aligned = true,
  ) {
    this.carry = new Uint8Array(wordBytes);
  }

  /** Bytes of an incomplete word kept from the previous chunk. */
  get pending(): number {
    return this.carryLength;
  }

  /** Whole words of `carry + chunk`, aligned to `wordBytes` in memory; the incomplete rest is kept. */
  take(chunk: Uint8Array): Uint8Array {
    const w = this.wordBytes;
    const total = this.carryLength + chunk.length;
    const whole = total - (total % w);
    if (this.carryLength === 0 && (!this.aligned || chunk.byteOffset % w === 0)) {
      this.keep(chunk.subarray(whole));
      return chunk.subarray(0, whole);
    }
    if (this.scratch.length < whole) this.scratch = new Uint8Array(Math.max(whole, this.scratch.length * 2));
    const out = this.scratch.subarray(0, whole);
    if (whole === 0) {
      this.carry.set(chunk, this.carryLength);
      this.carryLength += chunk.length;
      return out;
    }
    out.set(this.carry.subarray(0, this.carryLength));
    const fromChunk = whole - this.carryLength;
    out.set(chunk.subarray(0, fromChunk), this.carryLength);
    this.carryLength = 0;
    this.keep(chunk.subarray(fromChunk));
    return out;
  }

  private keep(rest: Uint8Array): void {
    this.carry.set(rest, 0);
    this.carryLength = rest.length;
  }
}
