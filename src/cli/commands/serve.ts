import type { Command } from 'commander';
import { fileURLToPath } from 'node:url';
import { loadPipeline } from '../../pipeline/loadPipeline.ts';
import { createLiveProcessor } from '../../serve/createLiveProcessor.ts';
import { startLiveServer } from '../../serve/liveServer.ts';
import { checkHost, isLoopback, parsePort } from '../../serve/serveOptions.ts';

/** The pipeline the live demo runs when none is given (its source is replaced by the camera). */
export const DEFAULT_LIVE_PIPELINE = fileURLToPath(new URL('../../../pipelines/detect.json', import.meta.url));

/** `spikeflow serve [--host 127.0.0.1] [--port 8080] [--pipeline FILE]`: the live webcam demo until Ctrl+C. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Live demo: the page at / turns your webcam into events, spikes and tracked boxes; ws://HOST:PORT/stream streams them')
    .option('--host <host>', 'interface to listen on (anything but loopback exposes the stream to the network)', '127.0.0.1')
    .option('--port <port>', 'TCP port (0 picks a free one)', '8080')
    .option('--pipeline <file>', 'pipeline file whose filters, encoder, network and detector run on the camera', DEFAULT_LIVE_PIPELINE)
    .action(async (options: { host: string; port: string; pipeline: string }) => {
      const host = checkHost(options.host);
      const port = parsePort(options.port);
      const { spec, path } = await loadPipeline(options.pipeline);
      // Fail now on a bad pipeline rather than when the first camera connects.
      createLiveProcessor(spec, { threshold: 0.2, pooling: spec.encoder.pool });
      const server = await startLiveServer({
        host,
        port,
        settings: { pooling: spec.encoder.pool },
        createProcessor: (settings) => createLiveProcessor(spec, settings),
      });
      process.stdout.write(`spikeflow serve: ${server.url}/ (stream: ${server.url.replace(/^http/, 'ws')}/stream, pipeline ${path})\n`);
      if (!isLoopback(host)) {
        process.stderr.write(
          `spikeflow serve: warning: listening on ${host}: the live stream (events, spikes, boxes of the camera) is reachable from the network. ` +
            'Browsers grant the camera only to https or localhost pages, so open the page on this machine.\n',
        );
      }
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await server.close();
    });
}
