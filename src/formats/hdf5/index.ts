import type { FormatModule } from '../types.ts';

// Placeholder until the hdf5 decoder lands: never claims a file.
export const format: FormatModule = {
  name: 'hdf5',
  extensions: [],
  sniff: () => 'no',
};
