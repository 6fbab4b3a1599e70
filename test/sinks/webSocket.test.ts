import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ConfigError, ExternalError } from '../../src/errors.ts';
import { concatBatches, makeBatch, type EventBatch } from '../../src/events/eventBatch.ts';
import { createSink } from '../../src/sinks/registry.ts';
import type { Sink } from '../../src/sinks/types.ts';
import { webSocketSink, type WebSocketSink } from '../../src/sinks/webSocketSink.ts';
import { decodeFrame, encodeEventFrame } from '../../src/wire/eventFrame.ts';
import { syntheticEvents } from './synthetic.ts';

const context = { outDir: '/tmp/spikeflow-ws-unused', keyPath: 'sinks[1]' };
const open: Sink[] = [];
afterEach(async () => {
  for (const sink of open.splice(0)) await sink.close().catch(() => undefined);
});

async function startSink(options: Record<string, unknown> = {}): Promise<WebSocketSink> {
  const sink = (await createSink({ type: 'websocket', port: 0, ...options }, context)) as WebSocketSink;
  open.push(sink);
  return sink;
}

/** A ws client that records every message until the server closes the connection. */
async function connect(url: string): Promise<{ ws: WebSocket; messages: (Buffer | string)[]; closed: Promise<number> }> {
  const ws = new WebSocket(url);
  const messages: (Buffer | string)[] = [];
  ws.on('message', (data, isBinary) => messages.push(isBinary ? (data as Buffer) : data.toString()));
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, messages, closed };
}

/** Batch `i` of a stream: its own time range so a received frame tells which write it came from. */
function numbered(i: number, n: number): EventBatch {
  const b = syntheticEvents(n, i + 1, 320, 240, i * 1e7);
  return makeBatch(b, b.t, b.x, b.y, b.p);
}

describe('websocket sink with real ws clients on loopback', () => {
  it('listens on 127.0.0.1 at /stream by default and sends exactly the frames and detection messages', async () => {
    const sink = await startSink({ maxEventsPerFrame: 1000 });
    expect(sink.url).toBe(`ws://127.0.0.1:${sink.port}/stream`);
    const client = await connect(sink.url);
    const events = syntheticEvents(2500, 9);
    const spikes = { t: Float64Array.of(10, 11), neuron: Uint32Array.of(4, 2), length: 2, population: 'out', until: 20 };
    const detections = { t: 1234, width: 640, height: 480, boxes: [{ id: 3, x: 10, y: 20, w: 30, h: 40, score: 0.75, vx: 1, vy: 2 }] };
    expect(sink.write({ kind: 'events', events })).toBeUndefined();
    sink.write({ kind: 'spikes', spikes });
    sink.write({ kind: 'detections', detections });
    const stats = await sink.close();
    expect(await client.closed).toBe(1000);
    expect(client.messages.length).toBe(5);
    const frames = client.messages.slice(0, 3).map((m) => decodeFrame(m as Buffer));
    expect(frames.map((f) => f.kind === 'events' && f.events.length)).toEqual([1000, 1000, 500]);
    const joined = concatBatches(frames.map((f) => (f.kind === 'events' ? f.events : events)));
    expect(joined.t).toEqual(events.t);
    expect(joined.x).toEqual(events.x);
    expect(joined.y).toEqual(events.y);
    expect(joined.p).toEqual(events.p);
    expect(joined.width).toBe(640);
    expect(decodeFrame(client.messages[3] as Buffer)).toEqual({ kind: 'spikes', spikes });
    expect(client.messages[4]).toBe('{"type":"detections","t":1234,"width":640,"height":480,"boxes":[{"id":3,"x":10,"y":20,"w":30,"h":40,"score":0.75}]}');
    expect(stats).toMatchObject({ written: 3, dropped: 0, connections: 1, 'client1.sent': 5, 'client1.dropped': 0 });
  });

  it('drop-oldest: a paused client loses its oldest frames (counted) while another client gets everything', async () => {
    const sink = await startSink({ maxQueue: 4, maxBufferedBytes: 1 << 18 });
    const fast = await connect(sink.url);
    const slow = await connect(sink.url);
    slow.ws.pause();
    const total = 100;
    const sent: Buffer[] = [];
    for (let i = 0; i < total; i++) {
      const events = numbered(i, 20_000);
      sent.push(Buffer.from(encodeEventFrame(events)));
      expect(sink.write({ kind: 'events', events })).toBeUndefined();
      await new Promise((resolve) => setImmediate(resolve));
    }
    const beforeResume = sink.clientStats();
    slow.ws.resume();
    const stats = await sink.close();
    await Promise.all([fast.closed, slow.closed]);
    expect(fast.messages.length).toBe(total);
    fast.messages.forEach((m, i) => expect(Buffer.compare(m as Buffer, sent[i]!)).toBe(0));
    const slowDropped = stats['client2.dropped']!;
    expect(beforeResume[1]!.dropped).toBeGreaterThan(0);
    expect(slowDropped).toBeGreaterThanOrEqual(beforeResume[1]!.dropped);
    expect(slow.messages.length + slowDropped).toBe(total);
    // What the slow client got is in order and ends with the newest frame: the oldest were dropped.
    const indices = slow.messages.map((m) => decodeFrame(m as Buffer)).map((f) => (f.kind === 'events' ? f.events.t[0]! : -1) / 1e7);
    expect(indices.map(Math.floor)).toEqual([...indices.map(Math.floor)].sort((a, b) => a - b));
    expect(Math.floor(indices.at(-1)!)).toBe(total - 1);
    expect(stats).toMatchObject({ written: total, 'client1.dropped': 0, 'client1.sent': total, dropped: slowDropped });
  });

  it('a vanished client is removed and counted without affecting the other', async () => {
    const sink = await startSink({ maxQueue: 8 });
    const stays = await connect(sink.url);
    const leaves = await connect(sink.url);
    const events = numbered(0, 500);
    sink.write({ kind: 'events', events });
    leaves.ws.terminate();
    await leaves.closed;
    for (let i = 1; i < 20; i++) {
      sink.write({ kind: 'events', events: numbered(i, 500) });
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const stats = await sink.close();
    await stays.closed;
    expect(stays.messages.length).toBe(20);
    expect(stats).toMatchObject({ written: 20, connections: 2, clients: 0, 'client1.sent': 20, 'client1.dropped': 0 });
    expect(sink.clientStats()[1]).toMatchObject({ connected: false });
  });

  it('block: write waits while a paused client has no room, and resolves when it reads again', async () => {
    const sink = await startSink({ policy: 'block', maxQueue: 2, maxBufferedBytes: 1 << 16 });
    const client = await connect(sink.url);
    client.ws.pause();
    let blocked: Promise<void> | undefined;
    let writes = 0;
    while (!blocked && writes < 500) {
      blocked = sink.write({ kind: 'events', events: numbered(writes++, 20_000) }) ?? undefined;
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(blocked).toBeInstanceOf(Promise);
    let resolved = false;
    void blocked!.then(() => (resolved = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(resolved).toBe(false);
    client.ws.resume();
    await blocked;
    const stats = await sink.close();
    await client.closed;
    expect(client.messages.length).toBe(writes);
    expect(stats).toMatchObject({ dropped: 0, 'client1.sent': writes });
  });

  it('rejects bad options with the key path and a port in use with a clear error', async () => {
    await expect(createSink({ type: 'websocket', port: -1 }, context)).rejects.toThrow(new ConfigError('sinks[1].port', -1, 'an integer in 0..65535'));
    await expect(createSink({ type: 'websocket', policy: 'wait' }, context)).rejects.toThrow(/sinks\[1\]\.policy: "wait" is not allowed \(one of drop-oldest, block\)/);
    await expect(createSink({ type: 'websocket', path: 'stream' }, context)).rejects.toThrow(/sinks\[1\]\.path/);
    await expect(createSink({ type: 'websocket', include: ['frames'] }, context)).rejects.toThrow(/sinks\[1\]\.include/);
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', () => resolve()));
    const port = (holder.address() as { port: number }).port;
    try {
      const attempt = webSocketSink({ host: '127.0.0.1', port, path: '/stream', policy: 'drop-oldest', maxQueue: 4, maxBufferedBytes: 1024, maxEventsPerFrame: 10, keyPath: 'sinks[1]' });
      await expect(attempt).rejects.toThrow(ExternalError);
      await expect(attempt).rejects.toThrow(`sinks[1]: cannot listen on 127.0.0.1:${port}: the port is already in use; choose another port`);
    } finally {
      holder.close();
    }
  });
});
