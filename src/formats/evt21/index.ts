import type { FormatModule } from '../types.ts';

// Placeholder until the evt21 decoder lands: never claims a file.
export const format: FormatModule = {
  name: 'evt21',
  extensions: [],
  sniff: () => 'no',
};
