import type { Command } from 'commander';
import { SpikeflowError } from '../../errors.ts';

// Placeholder: the serve command lands with its issue.
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('(not yet available)')
    .allowUnknownOption()
    .action(() => {
      throw new SpikeflowError('the serve command is not available yet');
    });
}
