import type { FormatModule } from '../types.ts';
import { Aedat3Decoder } from './decoder.ts';
import { Aedat3Encoder, type Aedat3EncoderOptions } from './encoder.ts';

/** cAER AEDAT 3.1 (and 3.0 packet framing): polarity packets; other packet types skipped and counted. */
export const format: FormatModule = {
  name: 'aedat3',
  extensions: ['.aedat'],
  sniff: (head) => (new TextDecoder('latin1').decode(head.subarray(0, 12)).startsWith('#!AER-DAT3.') ? 'certain' : 'no'),
  createDecoder: (options) => new Aedat3Decoder(options),
  createEncoder: (options) => new Aedat3Encoder(options as Aedat3EncoderOptions),
};
