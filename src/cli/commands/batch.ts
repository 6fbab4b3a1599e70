import type { Command } from 'commander';
import { listRecordings } from '../../batch/listRecordings.ts';
import { runLocalBatch, type BatchProgress, type BatchSummary } from '../../batch/localBatch.ts';
import { runNatsBatch } from '../../batch/natsBatch.ts';
import { ConfigError } from '../../errors.ts';

export function registerBatch(program: Command): void {
  program
    .command('batch')
    .description('Run a pipeline over every recording of a folder or glob, writing OUT/<recording name>/… (local cores, or NATS workers)')
    .argument('<pipeline>', 'pipeline file (JSON)')
    .argument('<recordings>', 'a folder of recordings, or a glob such as "data/*.raw"')
    .requiredOption('--out <dir>', 'output folder')
    .option('--nats <url>', 'spread the jobs over `spikeflow worker` processes through this NATS server')
    .option('--jobs <n>', 'worker threads for a local batch (default: the number of cores)')
    .option('--ack-wait <ms>', 'with --nats: redeliver a job whose worker went silent this long', '30000')
    .addHelpText('after', '\nExample:\n  spikeflow batch pipelines/detect.json recordings/ --out out/batch\n')
    .action(async (pipeline: string, recordings: string, options: { out: string; nats?: string; jobs?: string; ackWait: string }) => {
      const list = await listRecordings(recordings);
      const onProgress = progressPrinter();
      const summary: BatchSummary = options.nats
        ? await runNatsBatch({
            pipeline,
            recordings: list,
            outDir: options.out,
            natsUrl: options.nats,
            ackWaitMs: positiveInteger('--ack-wait', options.ackWait),
            onProgress,
          })
        : await runLocalBatch({
            pipeline,
            recordings: list,
            outDir: options.out,
            ...(options.jobs ? { concurrency: positiveInteger('--jobs', options.jobs) } : {}),
            onProgress,
          });
      if (process.stderr.isTTY) process.stderr.write('\n');
      for (const f of summary.failures) process.stderr.write(`spikeflow batch: ${f.name}: ${f.error}\n`);
      process.stdout.write(
        `batch: ${summary.total} recordings, ${summary.done - summary.skipped - summary.failed} processed, ` +
          `${summary.skipped} already complete, ${summary.failed} failed` +
          (summary.redelivered ? `, ${summary.redelivered} redelivered` : '') +
          `, ${summary.seconds.toFixed(1)} s -> ${options.out}\n`,
      );
      if (summary.failed > 0) process.exitCode = 1;
    });
}

function positiveInteger(parameter: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new ConfigError(parameter, text, 'an integer >= 1');
  return value;
}

/** A one-line progress bar on a terminal; silent when stderr is a file or pipe. */
function progressPrinter(): (p: BatchProgress) => void {
  if (!process.stderr.isTTY) return () => undefined;
  return (p) => {
    const width = 30;
    const filled = p.total === 0 ? width : Math.round((p.done / p.total) * width);
    process.stderr.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.done}/${p.total} (${p.failed} failed)${p.last ? ` ${p.last}` : ''}\x1b[K`,
    );
  };
}
