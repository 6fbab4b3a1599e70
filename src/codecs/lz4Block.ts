import { CodecError } from './codecError.ts';

/**
 * Decodes one LZ4 block (the sequence format of the LZ4 block specification) from `src[srcStart, srcEnd)`
 * into `dst` at `dstStart` and returns where the output ends. Matches may reach back to `windowStart`, which
 * is the block's own start for independent blocks and the frame's start for linked ones. Every read and write
 * is bounds-checked, so corrupt input gives a CodecError (offset relative to `src`), never a hang.
 *
 * Speed: event packets compress into ~2 short sequences per event (matches of 5..10 bytes at offset 16), so
 * per-sequence overhead dominates. Matches at offset >= 8 are copied 8 bytes at a time through a DataView
 * ("wild copy"), which may write up to 7 bytes past the match; `dst` must therefore extend at least
 * WILD_COPY_SLACK bytes beyond `dstLimit` (those bytes are scratch and get overwritten or ignored).
 */
export function decodeLz4Block(
  src: Uint8Array,
  srcView: DataView,
  srcStart: number,
  srcEnd: number,
  dst: Uint8Array,
  dstView: DataView,
  dstStart: number,
  dstLimit: number,
  windowStart: number,
): number {
  let s = srcStart;
  let d = dstStart;
  if (dst.length < dstLimit + WILD_COPY_SLACK) throw new RangeError('decodeLz4Block: dst needs 8 bytes of slack');
  if (s >= srcEnd) throw new CodecError(s, 'empty LZ4 block');
  // Fast path, far from both ends: a sequence with < 15 literals and a match of 4..18 bytes at offset >= 8
  // is copied with fixed-size word copies (16 literal bytes, 8 or 20 match bytes) under a single range check,
  // like the reference decoder's fast loop. Anything else falls through to the checked general path.
  const fastSrcEnd = srcEnd - 20;
  const fastDstEnd = dstLimit - 40;
  for (;;) {
    while (s < fastSrcEnd && d < fastDstEnd) {
      const token = src[s]!;
      const literals = token >>> 4;
      const length = (token & 15) + 4;
      if (literals === 15 || length === 19) break;
      const offset = src[s + 1 + literals]! | (src[s + 2 + literals]! << 8);
      if (offset < 8 || offset > d + literals - windowStart) break;
      dstView.setUint32(d, srcView.getUint32(s + 1, true), true);
      dstView.setUint32(d + 4, srcView.getUint32(s + 5, true), true);
      dstView.setUint32(d + 8, srcView.getUint32(s + 9, true), true);
      dstView.setUint32(d + 12, srcView.getUint32(s + 13, true), true);
      s += 3 + literals;
      d += literals;
      const m = d - offset;
      dstView.setUint32(d, dstView.getUint32(m, true), true);
      dstView.setUint32(d + 4, dstView.getUint32(m + 4, true), true);
      if (length > 8) {
        dstView.setUint32(d + 8, dstView.getUint32(m + 8, true), true);
        dstView.setUint32(d + 12, dstView.getUint32(m + 12, true), true);
        dstView.setUint32(d + 16, dstView.getUint32(m + 16, true), true);
      }
      d += length;
    }
    if (s >= srcEnd) throw new CodecError(s, 'LZ4 block ends without its last literals');
    const token = src[s++]!;
    let literals = token >>> 4;
    if (literals === 15) {
      let more: number;
      do {
        if (s >= srcEnd) throw new CodecError(s, 'LZ4 literal length runs past the block');
        more = src[s++]!;
        literals += more;
      } while (more === 255);
    }
    if (literals > 0) {
      if (s + literals > srcEnd) throw new CodecError(s, `LZ4 literals (${literals} bytes) run past the block`);
      if (d + literals > dstLimit) throw new CodecError(s, 'LZ4 block decodes to more than its maximum size');
      // Short runs: a byte loop beats creating a subarray view for set().
      if (literals <= 16) {
        const end = s + literals;
        while (s < end) dst[d++] = src[s++]!;
      } else {
        dst.set(src.subarray(s, s + literals), d);
        s += literals;
        d += literals;
      }
    }
    if (s === srcEnd) return d; // the last sequence has literals only
    if (s + 2 > srcEnd) throw new CodecError(s, 'LZ4 match offset cut short');
    const offset = src[s]! | (src[s + 1]! << 8);
    if (offset === 0 || offset > d - windowStart) {
      throw new CodecError(s, `LZ4 match offset ${offset} reaches before the start of the output`);
    }
    s += 2;
    let length = (token & 15) + 4;
    if (length === 19) {
      let more: number;
      do {
        if (s >= srcEnd) throw new CodecError(s, 'LZ4 match length runs past the block');
        more = src[s++]!;
        length += more;
      } while (more === 255);
    }
    if (d + length > dstLimit) throw new CodecError(s, 'LZ4 block decodes to more than its maximum size');
    let m = d - offset;
    if (offset >= 8) {
      const end = d + length;
      do {
        dstView.setUint32(d, dstView.getUint32(m, true), true);
        dstView.setUint32(d + 4, dstView.getUint32(m + 4, true), true);
        d += 8;
        m += 8;
      } while (d < end);
      d = end;
    } else {
      // Overlapping matches (offset < length) repeat a pattern: copy forward one byte at a time.
      const end = d + length;
      while (d < end) dst[d++] = dst[m++]!;
    }
  }
}

/** Bytes `dst` must have beyond `dstLimit` for decodeLz4Block's 8-byte match copies. */
export const WILD_COPY_SLACK = 8;

/** The largest LZ4 block that `n` input bytes can compress to (incompressible input plus token overhead). */
export function lz4BlockBound(n: number): number {
  return n + Math.ceil(n / 255) + 16;
}

const HASH_BITS = 14;
const MIN_MATCH = 4;
/** The LZ4 format wants the last 5 bytes as literals and no match starting in the last 12 bytes. */
const LAST_LITERALS = 5;
const MATCH_FIND_LIMIT = 12;

/**
 * A greedy LZ4 block compressor (one hash-table probe per position, no lazy matching): simple and fast,
 * with ratios near the reference's fast mode on event data. `table` is scratch space reused between calls.
 */
export function encodeLz4Block(
  src: Uint8Array,
  srcStart: number,
  srcEnd: number,
  dst: Uint8Array,
  dstStart: number,
  table: Int32Array = new Int32Array(1 << HASH_BITS),
): number {
  table.fill(0);
  let d = dstStart;
  let anchor = srcStart;
  let i = srcStart;
  const matchEndLimit = srcEnd - LAST_LITERALS;
  const findLimit = srcEnd - MATCH_FIND_LIMIT;
  let misses = 0;
  while (i < findLimit) {
    const sequence = read32(src, i);
    const h = Math.imul(sequence, 2654435761) >>> (32 - HASH_BITS);
    const candidate = table[h]! - 1; // entries hold position + 1 so that 0 means empty
    table[h] = i + 1;
    if (candidate < srcStart || i - candidate > 65535 || read32(src, candidate) !== sequence) {
      // Skip faster through incompressible stretches, like the reference's acceleration.
      i += 1 + (misses++ >> 6);
      continue;
    }
    misses = 0;
    let length = MIN_MATCH;
    while (i + length < matchEndLimit && src[candidate + length] === src[i + length]) length++;
    d = writeSequence(src, anchor, i - anchor, dst, d, i - candidate, length);
    i += length;
    anchor = i;
  }
  return writeLastLiterals(src, anchor, srcEnd - anchor, dst, d);
}

function read32(b: Uint8Array, i: number): number {
  return b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24);
}

function writeLength(dst: Uint8Array, d: number, rest: number): number {
  while (rest >= 255) {
    dst[d++] = 255;
    rest -= 255;
  }
  dst[d++] = rest;
  return d;
}

function writeSequence(
  src: Uint8Array,
  litStart: number,
  literals: number,
  dst: Uint8Array,
  d: number,
  offset: number,
  length: number,
): number {
  const matchCode = length - MIN_MATCH;
  const tokenAt = d++;
  dst[tokenAt] = (Math.min(literals, 15) << 4) | Math.min(matchCode, 15);
  if (literals >= 15) d = writeLength(dst, d, literals - 15);
  dst.set(src.subarray(litStart, litStart + literals), d);
  d += literals;
  dst[d++] = offset & 255;
  dst[d++] = offset >>> 8;
  if (matchCode >= 15) d = writeLength(dst, d, matchCode - 15);
  return d;
}

function writeLastLiterals(src: Uint8Array, litStart: number, literals: number, dst: Uint8Array, d: number): number {
  dst[d++] = Math.min(literals, 15) << 4;
  if (literals >= 15) d = writeLength(dst, d, literals - 15);
  dst.set(src.subarray(litStart, litStart + literals), d);
  return d + literals;
}
