import { Command, CommanderError } from 'commander';
import { SpikeflowError } from '../errors.ts';
import { registerBatch } from './commands/batch.ts';
import { registerConvert } from './commands/convert.ts';
import { registerInfo } from './commands/info.ts';
import { registerRun } from './commands/run.ts';
import { registerServe } from './commands/serve.ts';
import { registerSimulate } from './commands/simulate.ts';
import { registerVideo } from './commands/video.ts';
import { registerWorker } from './commands/worker.ts';

const program = new Command()
  .name('spikeflow')
  .description('Event-based vision: DVS recordings and video to spikes, an event-driven SNN, detections and spike maps.')
  .showHelpAfterError()
  .exitOverride();

for (const register of [
  registerInfo,
  registerConvert,
  registerVideo,
  registerSimulate,
  registerRun,
  registerServe,
  registerBatch,
  registerWorker,
]) {
  register(program);
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
  } else if (error instanceof SpikeflowError) {
    // Our errors already name the file, offset or parameter: no stack trace needed.
    process.stderr.write(`spikeflow: ${error.message}\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write(`spikeflow: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  }
}
