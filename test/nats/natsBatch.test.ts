import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listRecordings } from '../../src/batch/listRecordings.ts';
import { runLocalBatch } from '../../src/batch/localBatch.ts';
import { runNatsBatch } from '../../src/batch/natsBatch.ts';
import { hasNatsServer, NO_NATS, startNatsServer, type NatsServerHandle } from '../helpers/natsServer.ts';
import { bundled, REPO } from '../helpers/shared.ts';

const ACK_WAIT_MS = 1500;
const RECORDINGS = ['dat/expelliarmus_NCARS_obj_004397_td.dat', 'evt3/expelliarmus_evt3_pedestrians_5000ev.raw', 'nmnist/tonic_sample_nmnist.bin'];

/** Every output file's bytes, except the run summary's timing fields and paths, which differ between runs. */
function outputsOf(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name === 'summary.json') {
        const s = JSON.parse(readFileSync(full, 'utf8'));
        files[relative(dir, full)] = JSON.stringify([s.events, s.filteredEvents, s.inputSpikes, s.spikes, s.detections, s.tracks, s.spikemaps]);
      } else files[relative(dir, full)] = readFileSync(full).toString('base64');
    }
  };
  walk(dir);
  return files;
}

function startWorker(url: string): { child: ChildProcess; started: Promise<void>; log: () => string } {
  const child = spawn(process.execPath, [join(REPO, 'bin/spikeflow.js'), 'worker', '--nats', url, '--ack-wait', String(ACK_WAIT_MS)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  const started = new Promise<void>((resolve) => {
    child.stderr!.on('data', (d: Buffer) => {
      log += d.toString();
      if (log.includes(': started')) resolve();
    });
  });
  return { child, started, log: () => log };
}

describe.skipIf(!hasNatsServer)(`batch over NATS (${hasNatsServer ? 'nats-server found' : NO_NATS})`, () => {
  let server: NatsServerHandle;
  const workers: ChildProcess[] = [];
  const work = mkdtempSync(join(tmpdir(), 'sf-natsbatch-'));
  const folder = join(work, 'recordings');
  // The shipped detect pipeline, slowed to a twentieth of real time so that a job lasts long enough to be killed.
  const slowPipeline = join(work, 'slow-detect.json');

  beforeAll(async () => {
    mkdirSync(folder);
    for (const r of RECORDINGS) copyFileSync(bundled(r), join(folder, r.split('/')[1]!));
    const detect = JSON.parse(readFileSync(join(REPO, 'pipelines/detect.json'), 'utf8'));
    detect.filters = [...detect.filters, { type: 'pace', speed: 0.05 }];
    writeFileSync(slowPipeline, JSON.stringify(detect));
    server = await startNatsServer();
  });
  afterEach(() => {
    for (const w of workers.splice(0)) w.kill('SIGKILL');
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('two workers produce exactly the outputs of a local batch', async () => {
    const recordings = await listRecordings(folder);
    const pipeline = join(REPO, 'pipelines/detect.json');
    const local = await runLocalBatch({ pipeline, recordings, outDir: join(work, 'local'), concurrency: 2 });
    expect(local).toMatchObject({ total: 3, done: 3, failed: 0 });

    workers.push(startWorker(server.url).child, startWorker(server.url).child);
    const remote = await runNatsBatch({ pipeline, recordings, outDir: join(work, 'nats'), natsUrl: server.url, ackWaitMs: ACK_WAIT_MS });
    expect(remote).toMatchObject({ total: 3, done: 3, failed: 0, skipped: 0 });
    const expected = outputsOf(join(work, 'local'));
    expect(Object.keys(expected).filter((f) => f.endsWith('detections.ndjson'))).toHaveLength(3);
    expect(outputsOf(join(work, 'nats'))).toEqual(expected);

    // Re-running skips what is complete.
    const again = await runNatsBatch({ pipeline, recordings, outDir: join(work, 'nats'), natsUrl: server.url, ackWaitMs: ACK_WAIT_MS });
    expect(again).toMatchObject({ total: 3, done: 3, skipped: 3 });
  }, 120_000);

  it('a worker killed mid-job loses nothing: the job is redelivered and done exactly once', async () => {
    const recordings = (await listRecordings(folder)).slice(0, 2);
    const local = await runLocalBatch({ pipeline: slowPipeline, recordings, outDir: join(work, 'slow-local'), concurrency: 2 });
    expect(local.failed).toBe(0);

    const doomed = startWorker(server.url);
    workers.push(doomed.child);
    const batch = runNatsBatch({ pipeline: slowPipeline, recordings, outDir: join(work, 'slow-nats'), natsUrl: server.url, ackWaitMs: ACK_WAIT_MS });
    await doomed.started;
    doomed.child.kill('SIGKILL');
    workers.push(startWorker(server.url).child);
    const summary = await batch;
    expect(summary).toMatchObject({ total: 2, done: 2, failed: 0 });
    expect(summary.redelivered).toBeGreaterThanOrEqual(1);
    expect(outputsOf(join(work, 'slow-nats'))).toEqual(outputsOf(join(work, 'slow-local')));
    // Nothing half-written is left beside the outputs.
    expect(readdirSync(join(work, 'slow-nats')).sort()).toEqual(recordings.map((r) => r.name).sort());
  }, 120_000);
});
