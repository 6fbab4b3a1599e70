import type { Command } from 'commander';
import { SpikeflowError } from '../../errors.ts';

// Placeholder: the run command lands with its issue.
export function registerRun(program: Command): void {
  program
    .command('run')
    .description('(not yet available)')
    .allowUnknownOption()
    .action(() => {
      throw new SpikeflowError('the run command is not available yet');
    });
}
