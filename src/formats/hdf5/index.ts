import type { FormatModule } from '../types.ts';
import { hasHdf5Signature } from './library.ts';
import { readHdf5File } from './reader.ts';
import { writeHdf5File } from './writer.ts';

/**
 * HDF5 event files through h5wasm (no hand-written HDF5 parsing): reads the DSEC and Prophesee layouts in
 * slices, writes the DSEC layout. Datasets compressed with a filter h5wasm lacks (blosc, ECF, zstd…) are
 * refused with a DecodeError naming the filter.
 */
export const format: FormatModule = {
  name: 'hdf5',
  extensions: ['.h5', '.hdf5', '.hdf'],
  sniff(head, fileName) {
    if (hasHdf5Signature(head)) return 'certain';
    // A user block puts the signature at 512 or later, beyond what a short head may show.
    return /\.(h5|hdf5|hdf)$/i.test(fileName) ? 'maybe' : 'no';
  },
  readFile: readHdf5File,
  writeFile: writeHdf5File,
};
