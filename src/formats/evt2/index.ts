import type { FormatModule } from '../types.ts';
import { propheseeGeometry } from '../prophesee/geometry.ts';
import { sniffAs } from '../prophesee/sniff.ts';
import { PropheseeStreamDecoder } from '../prophesee/streamDecoder.ts';
import { Evt2Kernel } from './decoder.ts';
import { Evt2Encoder } from './encoder.ts';

const extensions = ['.raw', '.evt2'];

/** Prophesee EVT 2.0 RAW files (and headerless `.evt2` word streams). */
export const format: FormatModule = {
  name: 'evt2',
  extensions,
  sniff: (head, fileName) => sniffAs('evt2', head, fileName, extensions),
  createDecoder: (options) =>
    new PropheseeStreamDecoder(options, (fields, opts, stats) => {
      const geometry = propheseeGeometry(fields, opts, { width: 1280, height: 720 });
      return { kernel: new Evt2Kernel(geometry, stats), geometry };
    }),
  createEncoder: (options) => new Evt2Encoder(options),
};
