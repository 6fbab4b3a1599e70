import type { FormatModule } from '../types.ts';

// Placeholder until the npy decoder lands: never claims a file.
export const format: FormatModule = {
  name: 'npy',
  extensions: [],
  sniff: () => 'no',
};
