import type { Command } from 'commander';
import { SpikeflowError } from '../../errors.ts';

// Placeholder: the batch command lands with its issue.
export function registerBatch(program: Command): void {
  program
    .command('batch')
    .description('(not yet available)')
    .allowUnknownOption()
    .action(() => {
      throw new SpikeflowError('the batch command is not available yet');
    });
}
