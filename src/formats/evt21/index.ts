import type { DecoderOptions, EncoderOptions, FormatModule } from '../types.ts';
import { propheseeGeometry } from '../prophesee/geometry.ts';
import { sniffAs } from '../prophesee/sniff.ts';
import { PropheseeStreamDecoder } from '../prophesee/streamDecoder.ts';
import { Evt21Kernel, type Evt21Layout } from './decoder.ts';
import { Evt21Encoder } from './encoder.ts';
import { evt21LayoutOf } from './layout.ts';

const extensions = ['.raw', '.evt21'];

/** Options of the EVT 2.1 decoder and encoder: the layout is detected from the header unless given. */
export interface Evt21Options {
  readonly layout?: Evt21Layout;
}

/** Creates an EVT 2.1 decoder, optionally forcing the current or legacy layout. */
export function createEvt21Decoder(options: DecoderOptions & Evt21Options) {
  return new PropheseeStreamDecoder(options, (fields, opts, stats) => {
    const geometry = propheseeGeometry(fields, opts, { width: 1280, height: 720 });
    const layout = evt21LayoutOf(fields, options.layout);
    return { kernel: new Evt21Kernel(geometry, stats, layout), geometry };
  });
}

/** Prophesee EVT 2.1 RAW files (both layouts). */
export const format: FormatModule = {
  name: 'evt21',
  extensions,
  sniff: (head, fileName) => sniffAs('evt21', head, fileName, extensions),
  createDecoder: (options) => createEvt21Decoder(options),
  createEncoder: (options: EncoderOptions & Evt21Options) => new Evt21Encoder(options),
};
