import type { FormatModule } from '../types.ts';

// Placeholder until the nmnist decoder lands: never claims a file.
export const format: FormatModule = {
  name: 'nmnist',
  extensions: [],
  sniff: () => 'no',
};
