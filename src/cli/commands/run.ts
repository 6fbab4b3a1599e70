import type { Command } from 'commander';
import { relative } from 'node:path';
import { formatCount, ProgressBar } from '../../pipeline/progress.ts';
import { runPipeline, type RunSummary } from '../../pipeline/runPipeline.ts';

/** `spikeflow run <pipeline> [--input PATH] [--out DIR]`: a progress bar on a TTY, a one-line summary at the end. */
export function registerRun(program: Command): void {
  program
    .command('run')
    .description('Run a pipeline file: source → filters → encoder → network → detections and spike maps → sinks')
    .argument('<pipeline>', 'pipeline file (JSON), e.g. pipelines/detect.json')
    .option('--input <path>', 'override the source: an event file, a video, a folder of images or webcam[:DEVICE]')
    .option('--out <dir>', 'output directory (detections.ndjson, spikemaps/, summary.json)', 'out/run')
    .action(async (pipeline: string, options: { input?: string; out: string }) => {
      const bar = process.stderr.isTTY ? new ProgressBar(process.stderr) : undefined;
      // First Ctrl-C: stop reading and finish the outputs (a webcam never ends by itself); second: abort.
      const stop = new AbortController();
      const abort = new AbortController();
      const onSignal = () => (stop.signal.aborted ? abort.abort() : stop.abort());
      process.on('SIGINT', onSignal);
      try {
        const summary = await runPipeline(pipeline, {
          input: options.input,
          out: options.out,
          signal: abort.signal,
          stop: stop.signal,
          onProgress: bar ? (p) => bar.update(p) : undefined,
        });
        bar?.clear();
        process.stdout.write(`${summaryLine(summary)}\n`);
      } catch (error) {
        bar?.clear();
        throw error;
      } finally {
        process.off('SIGINT', onSignal);
      }
    });
}

export function summaryLine(s: RunSummary): string {
  const out = relative(process.cwd(), s.out) || '.';
  return (
    `spikeflow run: ${formatCount(s.events)} events (${formatCount(s.filteredEvents)} after filters), ` +
    `${formatCount(s.inputSpikes)} input spikes, ${formatCount(s.spikes)} network spikes, ` +
    `${s.detections} detections (${s.tracks} tracks), ${s.spikemaps} spike maps in ${(s.wallMs / 1000).toFixed(2)} s ` +
    `(${s.realTimeFactor.toFixed(2)}× real time) → ${out}/`
  );
}
