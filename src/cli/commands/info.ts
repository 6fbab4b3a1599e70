import type { Command } from 'commander';
import { SpikeflowError } from '../../errors.ts';

// Placeholder: the info command lands with its issue.
export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('(not yet available)')
    .allowUnknownOption()
    .action(() => {
      throw new SpikeflowError('the info command is not available yet');
    });
}
