import type { FormatModule } from '../types.ts';

// Placeholder until the aedat3 decoder lands: never claims a file.
export const format: FormatModule = {
  name: 'aedat3',
  extensions: [],
  sniff: () => 'no',
};
