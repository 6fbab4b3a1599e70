/**
 * Random valid LZ4 blocks built sequence by sequence (literal runs 0..40, matches 4..60 at offsets 1..300,
 * biased to the short lengths and small offsets where the decoder's fast path and its exits are), decoded by
 * the real decoder and compared with the bytes the generator meant: this reaches sequences the compressors
 * never emit, such as overlapping matches at offsets 1..7 and matches right at the block's end limits.
 */
export function randomBlock(random: () => number): { block: Uint8Array; expected: Uint8Array } {
  const out: number[] = [];
  const block: number[] = [];
  const writeLength = (rest: number) => {
    while (rest >= 255) {
      block.push(255);
      rest -= 255;
    }
    block.push(rest);
  };
  const literalRun = (literals: number) => {
    if (literals >= 15) writeLength(literals - 15);
    for (let k = 0; k < literals; k++) {
      const b = Math.floor(random() * 256);
      block.push(b);
      out.push(b);
    }
  };
  const sequences = Math.floor(random() * 200);
  for (let i = 0; i < sequences; i++) {
    const literals = Math.max(out.length === 0 ? 1 : 0, random() < 0.7 ? Math.floor(random() * 15) : Math.floor(random() * 40));
    const length = 4 + (random() < 0.7 ? Math.floor(random() * 15) : Math.floor(random() * 57));
    block.push((Math.min(literals, 15) << 4) | Math.min(length - 4, 15));
    literalRun(literals);
    const offset = 1 + (Math.floor(random() < 0.5 ? random() * 20 : random() * 300) % out.length);
    block.push(offset & 255, offset >> 8);
    if (length - 4 >= 15) writeLength(length - 4 - 15);
    for (let k = 0; k < length; k++) out.push(out[out.length - offset]!);
  }
  // A block ends with a literals-only sequence.
  const last = Math.floor(random() * 20);
  block.push(Math.min(last, 15) << 4);
  literalRun(last);
  return { block: Uint8Array.from(block), expected: Uint8Array.from(out) };
}

