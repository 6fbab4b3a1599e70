import type { FormatModule } from '../types.ts';
import { Aedat2Decoder, type Aedat2DecoderOptions } from './decoder.ts';
import { Aedat2Encoder, type Aedat2EncoderOptions } from './encoder.ts';

const MAGIC = /^#!AER-DAT[12]\.\d/;

/** jAER AEDAT 2.0 (and 1.0 for reading): big-endian address/time-stamp records after a `#` header. */
export const format: FormatModule = {
  name: 'aedat2',
  extensions: ['.aedat'],
  sniff: (head) => (MAGIC.test(new TextDecoder('latin1').decode(head.subarray(0, 16))) ? 'certain' : 'no'),
  createDecoder: (options) => new Aedat2Decoder(options as Aedat2DecoderOptions),
  createEncoder: (options) => new Aedat2Encoder(options as Aedat2EncoderOptions),
};
