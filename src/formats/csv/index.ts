import type { FormatModule } from '../types.ts';

// Placeholder until the csv decoder lands: never claims a file.
export const format: FormatModule = {
  name: 'csv',
  extensions: [],
  sniff: () => 'no',
};
