import type { FormatModule } from '../types.ts';

// Placeholder until the evt2 decoder lands: never claims a file.
export const format: FormatModule = {
  name: 'evt2',
  extensions: [],
  sniff: () => 'no',
};
