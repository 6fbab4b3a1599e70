import type { Command } from 'commander';
import { SpikeflowError } from '../../errors.ts';

// Placeholder: the worker command lands with its issue.
export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('(not yet available)')
    .allowUnknownOption()
    .action(() => {
      throw new SpikeflowError('the worker command is not available yet');
    });
}
