import type { FormatModule } from '../types.ts';

// Placeholder until the evt3 decoder lands: never claims a file.
export const format: FormatModule = {
  name: 'evt3',
  extensions: [],
  sniff: () => 'no',
};
