import type { FormatModule } from '../types.ts';
import { createEsDecoder } from './decoder.ts';
import { createEsEncoder } from './encoder.ts';
import { hasMagic } from './layout.ts';

/** Event Stream 2.x (`.es`): reads dvs, atis (and parses/skips generic); writes dvs. */
export const format: FormatModule = {
  name: 'es',
  extensions: ['.es'],
  sniff(head, fileName) {
    if (hasMagic(head)) return 'certain';
    return head.length < 12 && fileName.toLowerCase().endsWith('.es') ? 'maybe' : 'no';
  },
  createDecoder: createEsDecoder,
  createEncoder: createEsEncoder,
};
