import type { Command } from 'commander';
import { SpikeflowError } from '../../errors.ts';

// Placeholder: the simulate command lands with its issue.
export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description('(not yet available)')
    .allowUnknownOption()
    .action(() => {
      throw new SpikeflowError('the simulate command is not available yet');
    });
}
