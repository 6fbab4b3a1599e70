import type { FormatModule } from '../types.ts';

// Placeholder until the aedat2 decoder lands: never claims a file.
export const format: FormatModule = {
  name: 'aedat2',
  extensions: [],
  sniff: () => 'no',
};
