import { Command, CommanderError } from 'commander';
import { SpikeflowError } from '../errors.ts';

type Register = (program: Command) => void;

/**
 * Each command's module, loaded on demand: a run loads only the command it runs (with its dependencies), so
 * that `info` or `convert` do not pay for sharp, the NATS client or the live server (tens of MB of RSS).
 * Help, `help CMD`, and unknown commands load them all.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  info: async () => (await import('./commands/info.ts')).registerInfo,
  convert: async () => (await import('./commands/convert.ts')).registerConvert,
  video: async () => (await import('./commands/video.ts')).registerVideo,
  simulate: async () => (await import('./commands/simulate.ts')).registerSimulate,
  run: async () => (await import('./commands/run.ts')).registerRun,
  serve: async () => (await import('./commands/serve.ts')).registerServe,
  batch: async () => (await import('./commands/batch.ts')).registerBatch,
  worker: async () => (await import('./commands/worker.ts')).registerWorker,
};

const program = new Command()
  .name('spikeflow')
  .description('Event-based vision: DVS recordings and video to spikes, an event-driven SNN, detections and spike maps.')
  .showHelpAfterError()
  .exitOverride();

const named = process.argv[2];
const wanted = named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);
for (const register of await Promise.all(wanted.map((name) => COMMANDS[name]!()))) register(program);

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
