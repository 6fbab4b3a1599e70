import type { FormatModule } from '../types.ts';
import { Aedat4Decoder } from './decoder.ts';
import { sniffAedat4 } from './sniff.ts';

/** iniVation AEDAT 4.0 (DV): flatbuffer packets, LZ4 / zstd / uncompressed. */
export const format: FormatModule = {
  name: 'aedat4',
  extensions: ['.aedat4'],
  sniff: (head) => sniffAedat4(head),
  createDecoder: (options) => new Aedat4Decoder(options),
};
