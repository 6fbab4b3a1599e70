import type { FormatModule } from '../types.ts';

// Placeholder until the dat decoder lands: never claims a file.
export const format: FormatModule = {
  name: 'dat',
  extensions: [],
  sniff: () => 'no',
};
