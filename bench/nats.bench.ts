/**
 * NATS on loopback: events/s and spikes/s from a natsSink through nats-server to a consumer in this process
 * (publisher → broker → consumer, all decoded), and `batch --nats` throughput with 1 and 2 worker processes on
 * the bundled recordings. Skips (with a reason) when nats-server is not installed.
 *
 *   npm run bench -- nats
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { firstValueFrom, take, toArray } from 'rxjs';
import { listRecordings } from '../src/batch/listRecordings.ts';
import { runNatsBatch } from '../src/batch/natsBatch.ts';
import { makeBatch, type EventBatch } from '../src/events/eventBatch.ts';
import { natsSink } from '../src/sinks/natsSink.ts';
import { fromNats } from '../src/sources/fromNats.ts';
import { decodeFrame } from '../src/wire/eventFrame.ts';
import { hasNatsServer, startNatsServer } from '../test/helpers/natsServer.ts';
import { bundled, REPO } from '../test/helpers/shared.ts';

const BATCH = 65_536;
const BATCHES = 64; // 4.2 M events

function syntheticBatches(): EventBatch[] {
  let state = 7;
  const rand = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0);
  let time = 0;
  return Array.from({ length: BATCHES }, () => {
    const t = new Float64Array(BATCH);
    const x = new Uint16Array(BATCH);
    const y = new Uint16Array(BATCH);
    const p = new Uint8Array(BATCH);
    for (let i = 0; i < BATCH; i++) {
      time += rand() % 3;
      t[i] = time;
      x[i] = rand() % 1280;
      y[i] = rand() % 720;
      p[i] = rand() & 1;
    }
    return makeBatch({ width: 1280, height: 720 }, t, x, y, p);
  });
}

const perSecond = (n: number, ms: number) => Math.round(n / (ms / 1000));

export default async function bench(): Promise<Record<string, unknown>> {
  if (!hasNatsServer) return { skipped: 'nats-server is not installed (apt-get install nats-server)' };
  const server = await startNatsServer();
  try {
    const batches = syntheticBatches();
    const events = BATCH * BATCHES;

    // Events: sink → broker → fromNats (decoded into EventBatches).
    const received = firstValueFrom(fromNats({ url: server.url, stream: 'bench' }).pipe(take(BATCHES), toArray()));
    await new Promise((r) => setTimeout(r, 300));
    const sink = await natsSink({ url: server.url, stream: 'bench', kinds: ['events', 'spikes'] });
    let started = performance.now();
    for (const b of batches) sink.write({ kind: 'events', events: b });
    const got = await received;
    const eventsMs = performance.now() - started;
    const eventsReceived = got.reduce((n, b) => n + b.length, 0);

    // Spikes: sink → broker → a raw subscriber decoding SPKF frames.
    const raw = await connect({ servers: server.url });
    let spikesReceived = 0;
    let frames = 0;
    const allSpikes = new Promise<void>((resolve) => {
      raw.subscribe('spikeflow.bench.spikes.out', {
        callback: (_e, m) => {
          const f = decodeFrame(m.data);
          if (f.kind === 'spikes') spikesReceived += f.spikes.length;
          if (++frames === BATCHES) resolve();
        },
      });
    });
    await raw.flush();
    started = performance.now();
    for (const b of batches) {
      const neuron = new Uint32Array(b.length);
      for (let i = 0; i < b.length; i++) neuron[i] = b.y[i]! * 1280 + b.x[i]!;
      sink.write({ kind: 'spikes', spikes: { t: b.t, neuron, length: b.length, population: 'out', until: b.t[b.length - 1]! + 1 } });
    }
    await allSpikes;
    const spikesMs = performance.now() - started;
    const sinkStats = await sink.close();
    await raw.close();

    // Batch over the broker with 1 and 2 worker processes (each on its own core).
    const work = mkdtempSync(join(tmpdir(), 'sf-bench-nats-'));
    const files = ['evt2/expelliarmus_evt2_sparklers.raw', 'dat/expelliarmus_NCARS_obj_004397_td.dat', 'evt3/expelliarmus_evt3_pedestrians_5000ev.raw', 'nmnist/tonic_sample_nmnist.bin'];
    for (const f of files) copyFileSync(bundled(f), join(work, f.split('/')[1]!));
    const recordings = await listRecordings(work);
    const bytes = recordings.reduce((n, r) => n + statSync(r.path).size, 0);
    const batchResults: Record<string, unknown> = {};
    for (const workerCount of [1, 2]) {
      const workers: ChildProcess[] = Array.from({ length: workerCount }, () =>
        spawn(process.execPath, [join(REPO, 'bin/spikeflow.js'), 'worker', '--nats', server.url], { stdio: 'ignore' }),
      );
      await new Promise((r) => setTimeout(r, 2000)); // worker start-up (tsx) is not part of the throughput
      const summary = await runNatsBatch({
        pipeline: join(REPO, 'pipelines/detect.json'),
        recordings,
        outDir: join(work, `out-${workerCount}`),
        natsUrl: server.url,
      });
      for (const w of workers) w.kill('SIGTERM');
      batchResults[`workers${workerCount}`] = {
        recordings: summary.total,
        failed: summary.failed,
        seconds: Math.round(summary.seconds * 100) / 100,
        recordingsPerSecond: Math.round((summary.total / summary.seconds) * 100) / 100,
        inputMBps: Math.round((bytes / 1e6 / summary.seconds) * 100) / 100,
      };
    }
    rmSync(work, { recursive: true, force: true });

    return {
      eventsThroughBroker: { events, received: eventsReceived, eventsPerSecond: perSecond(eventsReceived, eventsMs) },
      spikesThroughBroker: { spikes: events, received: spikesReceived, spikesPerSecond: perSecond(spikesReceived, spikesMs) },
      sink: sinkStats,
      batch: batchResults,
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await bench(), null, 2));
