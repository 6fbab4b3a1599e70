import type { FormatModule } from '../types.ts';
import { createNpyDecoder } from './decoder.ts';
import { writeNpyFile } from './encoder.ts';
import { hasNpyMagic } from './header.ts';

export { npyHeader, npyRecords, NPY_RECORD_BYTES } from './encoder.ts';

/**
 * NumPy `.npy` structured event arrays. Read: any field order, integer widths, endianness, header versions
 * 1–3. Write: `<i8 t, <u2 x, <u2 y, u1 p` packed (13 bytes per event), through writeFile because the header
 * holds the count.
 */
export const format: FormatModule = {
  name: 'npy',
  extensions: ['.npy'],
  sniff: (head) => (hasNpyMagic(head) ? 'certain' : 'no'),
  createDecoder: createNpyDecoder,
  writeFile: writeNpyFile,
};
