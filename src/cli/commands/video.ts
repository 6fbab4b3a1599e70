import type { Command } from 'commander';
import { SpikeflowError } from '../../errors.ts';

// Placeholder: the video command lands with its issue.
export function registerVideo(program: Command): void {
  program
    .command('video')
    .description('(not yet available)')
    .allowUnknownOption()
    .action(() => {
      throw new SpikeflowError('the video command is not available yet');
    });
}
