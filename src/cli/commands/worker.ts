import type { Command } from 'commander';
import { runWorker } from '../../batch/natsWorker.ts';
import { ConfigError } from '../../errors.ts';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('Pull pipeline jobs of `spikeflow batch --nats` from a NATS server and run them until stopped')
    .requiredOption('--nats <url>', 'NATS server URL, e.g. nats://127.0.0.1:4222')
    .option('--ack-wait <ms>', 'redelivery time for a silent worker (must match the batch)', '30000')
    .option('--max-jobs <n>', 'exit after this many jobs')
    .addHelpText('after', '\nExample:\n  spikeflow worker --nats nats://broker.local:4222\n')
    .action(async (options: { nats: string; ackWait: string; maxJobs?: string }) => {
      const ackWaitMs = Number(options.ackWait);
      if (!Number.isInteger(ackWaitMs) || ackWaitMs < 100) throw new ConfigError('--ack-wait', options.ackWait, 'an integer >= 100 (ms)');
      const maxJobs = options.maxJobs === undefined ? undefined : Number(options.maxJobs);
      if (maxJobs !== undefined && (!Number.isInteger(maxJobs) || maxJobs < 1)) {
        throw new ConfigError('--max-jobs', options.maxJobs, 'an integer >= 1');
      }
      const controller = new AbortController();
      // Finish the job in hand on Ctrl-C / SIGTERM, then leave; a second signal kills as usual.
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => controller.abort());
      const { jobs } = await runWorker({
        natsUrl: options.nats,
        ackWaitMs,
        ...(maxJobs !== undefined ? { maxJobs } : {}),
        signal: controller.signal,
        onStart: (job) => process.stderr.write(`worker: ${job.name}: started\n`),
        onJob: (job, outcome) =>
          process.stderr.write(`worker: ${job.name}: ${outcome.ok ? 'done' : `failed: ${outcome.error}`}\n`),
      });
      process.stderr.write(`worker: ${jobs} jobs\n`);
    });
}
