import type { FormatModule } from '../types.ts';
import { Aedat4Decoder } from './decoder.ts';
import { Aedat4Encoder, type Aedat4EncoderOptions } from './encoder.ts';
import { sniffAedat4 } from './sniff.ts';
import { writeAedat4File } from './writeFile.ts';

/**
 * iniVation AEDAT 4.0 (DV): flatbuffer packets, LZ4 / zstd / uncompressed. `createEncoder` streams a valid
 * file without a data table (header position -1); `writeFile` also writes the data table and its position.
 */
export const format: FormatModule = {
  name: 'aedat4',
  extensions: ['.aedat4'],
  sniff: (head) => sniffAedat4(head),
  createDecoder: (options) => new Aedat4Decoder(options),
  createEncoder: (options) => new Aedat4Encoder(options as Aedat4EncoderOptions),
  writeFile: (path, batches, options) => writeAedat4File(path, batches, options as Aedat4EncoderOptions),
};
