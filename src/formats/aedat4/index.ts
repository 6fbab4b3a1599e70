import type { FormatModule } from '../types.ts';

// Placeholder until the aedat4 decoder lands: never claims a file.
export const format: FormatModule = {
  name: 'aedat4',
  extensions: [],
  sniff: () => 'no',
};
