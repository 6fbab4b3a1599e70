import type { FormatModule } from '../types.ts';
import { propheseeGeometry } from '../prophesee/geometry.ts';
import { sniffAs } from '../prophesee/sniff.ts';
import { PropheseeStreamDecoder } from '../prophesee/streamDecoder.ts';
import { DatKernel } from './decoder.ts';
import { DatEncoder } from './encoder.ts';

const extensions = ['.dat'];

/** Prophesee DAT files (CD events, "Version 2"). */
export const format: FormatModule = {
  name: 'dat',
  extensions,
  sniff: (head, fileName) => sniffAs('dat', head, fileName, extensions),
  createDecoder: (options) =>
    new PropheseeStreamDecoder(options, (fields, opts) => {
      // Without Width/Height lines: Event2D files come from the 304x240 ATIS (N-CARS, Gen1 automotive).
      const atis = /Event2d|Chronocam/i.test(fields.Data ?? '');
      const fallback = atis ? { width: 304, height: 240 } : { width: 1280, height: 720 };
      const geometry = propheseeGeometry(fields, opts, fallback);
      return { kernel: new DatKernel(geometry, Object.keys(fields).length > 0), geometry };
    }),
  createEncoder: (options) => new DatEncoder(options),
};
