import { decompress } from 'fzstd';
import { CodecError } from './codecError.ts';

/**
 * Zstandard: decompression through npm `fzstd`; writing emits only raw (stored) blocks, which RFC 8878 allows
 * (§3.1.1.2: Block_Type 0), so the output is a valid zstd frame that every decoder reads, without compression.
 */
export function zstdDecompress(data: Uint8Array): Uint8Array {
  try {
    return decompress(data);
  } catch (error) {
    throw new CodecError(0, `zstd: ${(error as Error).message}`, { cause: error });
  }
}

const ZSTD_MAGIC = 0xfd2fb528;
/** RFC 8878 §3.1.1.2.4: Block_Maximum_Size = min(Window_Size, 128 KiB). */
const MAX_BLOCK = 128 * 1024;

/**
 * One zstd frame holding `data` in raw blocks. Single_Segment_Flag is set, so there is no Window_Descriptor
 * and the window size equals Frame_Content_Size, written in the smallest field that holds it (§3.1.1.1.4).
 */
export function zstdStoreRaw(data: Uint8Array): Uint8Array {
  const n = data.length;
  let fcsFlag: number;
  let fcsBytes: number;
  if (n < 256) [fcsFlag, fcsBytes] = [0, 1];
  else if (n < 65536 + 256) [fcsFlag, fcsBytes] = [1, 2];
  else if (n < 2 ** 32) [fcsFlag, fcsBytes] = [2, 4];
  else [fcsFlag, fcsBytes] = [3, 8];
  const blocks = Math.max(1, Math.ceil(n / MAX_BLOCK));
  const out = new Uint8Array(4 + 1 + fcsBytes + blocks * 3 + n);
  const view = new DataView(out.buffer);
  view.setUint32(0, ZSTD_MAGIC, true);
  out[4] = (fcsFlag << 6) | 0x20; // Single_Segment_Flag, no checksum, no dictionary
  let o = 5;
  if (fcsBytes === 1) out[o] = n;
  else if (fcsBytes === 2) view.setUint16(o, n - 256, true);
  else if (fcsBytes === 4) view.setUint32(o, n, true);
  else view.setBigUint64(o, BigInt(n), true);
  o += fcsBytes;
  for (let b = 0; b < blocks; b++) {
    const start = b * MAX_BLOCK;
    const size = Math.min(MAX_BLOCK, n - start);
    const last = b === blocks - 1 ? 1 : 0;
    const header = last | (0 << 1) | (size << 3); // Block_Type 0 = Raw_Block
    out[o] = header & 255;
    out[o + 1] = (header >>> 8) & 255;
    out[o + 2] = (header >>> 16) & 255;
    out.set(data.subarray(start, start + size), o + 3);
    o += 3 + size;
  }
  return out;
}
