import type { FormatModule } from '../types.ts';
import { createNmnistDecoder } from './decoder.ts';
import { createNmnistEncoder } from './encoder.ts';

export { inferNmnistGeometry } from './inferGeometry.ts';

/**
 * N-MNIST / N-Caltech101 binary (`.bin`, SLAYER `.bs2`): 5-byte big-endian records, no header and no magic,
 * so sniffing can only say 'maybe' from the extension (and a length that is a multiple of 5 is not checked:
 * the head may be a prefix).
 */
export const format: FormatModule = {
  name: 'nmnist',
  extensions: ['.bin', '.bs2'],
  sniff(_head, fileName) {
    const lower = fileName.toLowerCase();
    return lower.endsWith('.bin') || lower.endsWith('.bs2') ? 'maybe' : 'no';
  },
  createDecoder: createNmnistDecoder,
  createEncoder: createNmnistEncoder,
};
