import type { FormatModule } from '../types.ts';
import { propheseeGeometry } from '../prophesee/geometry.ts';
import { sniffAs } from '../prophesee/sniff.ts';
import { PropheseeStreamDecoder } from '../prophesee/streamDecoder.ts';
import { Evt3Kernel } from './decoder.ts';
import { Evt3Encoder } from './encoder.ts';

const extensions = ['.raw', '.evt3'];

/** Prophesee EVT 3.0 RAW files, and headerless `.evt3` word streams (e.g. ROS EventPacket payloads). */
export const format: FormatModule = {
  name: 'evt3',
  extensions,
  sniff: (head, fileName) => sniffAs('evt3', head, fileName, extensions),
  createDecoder: (options) =>
    new PropheseeStreamDecoder(options, (fields, opts, stats) => {
      // OpenEB's standalone decoder assumes 1280x720 when the header says nothing.
      const geometry = propheseeGeometry(fields, opts, { width: 1280, height: 720 });
      return { kernel: new Evt3Kernel(geometry, stats), geometry };
    }),
  createEncoder: (options) => new Evt3Encoder(options),
};
