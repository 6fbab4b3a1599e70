import { connect } from '@nats-io/transport-node';
import { firstValueFrom, take, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBatch, type EventBatch } from '../../src/events/eventBatch.ts';
import { natsSink } from '../../src/sinks/natsSink.ts';
import { fromNats } from '../../src/sources/fromNats.ts';
import { decodeFrame } from '../../src/wire/eventFrame.ts';
import { hasNatsServer, NO_NATS, startNatsServer, type NatsServerHandle } from '../helpers/natsServer.ts';

function eventBatch(seed: number, n: number, t0: number): EventBatch {
  const t = new Float64Array(n);
  const x = new Uint16Array(n);
  const y = new Uint16Array(n);
  const p = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    t[i] = t0 + i * 3;
    x[i] = (i * 7 + seed) % 640;
    y[i] = (i * 13 + seed) % 480;
    p[i] = (i + seed) & 1;
  }
  return makeBatch({ width: 640, height: 480 }, t, x, y, p);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!hasNatsServer)(`NATS streaming (${hasNatsServer ? 'nats-server found' : NO_NATS})`, () => {
  let server: NatsServerHandle;
  beforeAll(async () => {
    server = await startNatsServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('a consumer receives exactly the events, spikes and detections published', async () => {
    const batches = [eventBatch(1, 1000, 0), eventBatch(2, 1, 5000), eventBatch(3, 20000, 6000)];
    const received = firstValueFrom(fromNats({ url: server.url, stream: 'cam1' }).pipe(take(batches.length), toArray()));
    const raw = await connect({ servers: server.url });
    const spikeMsgs: Uint8Array[] = [];
    const detectionMsgs: string[] = [];
    raw.subscribe('spikeflow.cam1.spikes.out', { callback: (_e, m) => void spikeMsgs.push(m.data) });
    raw.subscribe('spikeflow.cam1.detections', { callback: (_e, m) => void detectionMsgs.push(m.string()) });
    await raw.flush();
    await sleep(300); // the source subscribes asynchronously

    const sink = await natsSink({ url: server.url, stream: 'cam1' });
    for (const b of batches) sink.write({ kind: 'events', events: b });
    const spikes = { t: Float64Array.of(10, 10, 42), neuron: Uint32Array.of(3, 9, 3), length: 3, population: 'out', until: 50 };
    sink.write({ kind: 'spikes', spikes });
    const detections = { t: 42, width: 640, height: 480, boxes: [{ id: 1, x: 10, y: 20, w: 30, h: 40, score: 0.9 }] };
    sink.write({ kind: 'detections', detections });
    const stats = await sink.close();
    expect(stats).toMatchObject({ written: 5, dropped: 0 });

    const got = await received;
    expect(got.map((b) => b.length)).toEqual([1000, 1, 20000]);
    for (const [i, b] of got.entries()) {
      expect(Array.from(b.t)).toEqual(Array.from(batches[i]!.t));
      expect(Array.from(b.x)).toEqual(Array.from(batches[i]!.x));
      expect(Array.from(b.y)).toEqual(Array.from(batches[i]!.y));
      expect(Array.from(b.p)).toEqual(Array.from(batches[i]!.p));
      expect([b.width, b.height]).toEqual([640, 480]);
    }
    await raw.flush();
    await sleep(100);
    expect(spikeMsgs).toHaveLength(1);
    const frame = decodeFrame(spikeMsgs[0]!);
    expect(frame.kind).toBe('spikes');
    if (frame.kind === 'spikes') {
      expect(Array.from(frame.spikes.neuron)).toEqual([3, 9, 3]);
      expect(Array.from(frame.spikes.t)).toEqual([10, 10, 42]);
      expect(frame.spikes.until).toBe(50);
    }
    expect(detectionMsgs.map((m) => JSON.parse(m))).toEqual([detections]);
    await raw.close();
  });

  it('a late consumer replays a persisted stream from a sequence number', async () => {
    const sink = await natsSink({ url: server.url, stream: 'cam2', persist: true, kinds: ['events'] });
    const batches = [eventBatch(4, 10, 0), eventBatch(5, 20, 100), eventBatch(6, 30, 200)];
    for (const b of batches) sink.write({ kind: 'events', events: b });
    await sink.close();
    const replayed = await firstValueFrom(
      fromNats({ url: server.url, stream: 'cam2', replay: { startSequence: 2 } }).pipe(take(2), toArray()),
    );
    expect(replayed.map((b) => b.length)).toEqual([20, 30]);
    expect(Array.from(replayed[1]!.x)).toEqual(Array.from(batches[2]!.x));
  });

  it('a bad stream name is a ConfigError naming the parameter', async () => {
    await expect(natsSink({ url: server.url, stream: 'no spaces' })).rejects.toThrow(/stream: "no spaces" is not allowed/);
  });

  it('an unreachable server is a clear error, not a hang', async () => {
    await expect(natsSink({ url: 'nats://127.0.0.1:1', stream: 'x' })).rejects.toThrow(/cannot connect to the NATS server at nats:\/\/127.0.0.1:1/);
  });
});
