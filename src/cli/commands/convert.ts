import type { Command } from 'commander';
import { SpikeflowError } from '../../errors.ts';

// Placeholder: the convert command lands with its issue.
export function registerConvert(program: Command): void {
  program
    .command('convert')
    .description('(not yet available)')
    .allowUnknownOption()
    .action(() => {
      throw new SpikeflowError('the convert command is not available yet');
    });
}
