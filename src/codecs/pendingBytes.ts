const EMPTY: Uint8Array = new Uint8Array(0);

/**
 * Cuts a byte stream that arrives in chunks of any size into units of known size. A unit that lies inside the
 * current chunk is returned as a view of it (no copy); one that straddles chunks is assembled in a reusable
 * buffer, so feeding one byte at a time costs O(bytes), not O(bytes²).
 */
export class PendingBytes {
  private chunk: Uint8Array = EMPTY;
  private pos = 0;
  private pending: Uint8Array = new Uint8Array(64);
  private pendingLength = 0;
  /** Offset, from the start of the stream, of the first byte of the next unit. */
  offset = 0;

  feed(chunk: Uint8Array): void {
    this.chunk = chunk;
    this.pos = 0;
  }

  /** Bytes of the current chunk not consumed yet. */
  get available(): number {
    return this.chunk.length - this.pos;
  }

  /** Bytes of an incomplete unit held back (non-zero at the end of the stream means truncation). */
  get held(): number {
    return this.pendingLength;
  }

  /**
   * The next `size` bytes, or undefined when the chunk ends first (what arrived is kept; call again with the
   * same size after the next `feed`). The view is valid until the next call.
   */
  take(size: number): Uint8Array | undefined {
    const available = this.chunk.length - this.pos;
    if (this.pendingLength === 0 && available >= size) {
      const unit = this.chunk.subarray(this.pos, this.pos + size);
      this.pos += size;
      this.offset += size;
      return unit;
    }
    const n = Math.min(size - this.pendingLength, available);
    // Grow for what actually arrived, not for `size`: a corrupt length field must not allocate gigabytes.
    const held = this.pendingLength + n;
    if (this.pending.length < held) {
      const grown = new Uint8Array(Math.min(size, Math.max(held, this.pending.length * 2)));
      grown.set(this.pending.subarray(0, this.pendingLength));
      this.pending = grown;
    }
    this.pending.set(this.chunk.subarray(this.pos, this.pos + n), this.pendingLength);
    this.pendingLength += n;
    this.pos += n;
    if (this.pendingLength < size) return undefined;
    this.pendingLength = 0;
    this.offset += size;
    return this.pending.subarray(0, size);
  }

  /** Up to `max` bytes straight from the current chunk (for records decoded in bulk); none are held back. */
  takeAvailable(max: number): Uint8Array {
    const n = Math.min(max, this.chunk.length - this.pos);
    const view = this.chunk.subarray(this.pos, this.pos + n);
    this.pos += n;
    this.offset += n;
    return view;
  }

  /** Drops up to `max` bytes of the current chunk; returns how many were dropped. */
  skip(max: number): number {
    return this.takeAvailable(max).length;
  }
}
