import type { FormatModule } from '../types.ts';

// Placeholder until the es decoder lands: never claims a file.
export const format: FormatModule = {
  name: 'es',
  extensions: [],
  sniff: () => 'no',
};
