import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { ExternalError } from '../errors.ts';
import { sliceBatch } from '../events/eventBatch.ts';
import type { SpikeBatch } from '../events/spikeBatch.ts';
import type { DetectionFrame } from '../readout/detectionFrame.ts';
import { encodeEventFrame, encodeSpikeFrame } from '../wire/eventFrame.ts';
import { BoundedQueue } from './boundedQueue.ts';
import type { SlowConsumerPolicy } from './options.ts';
import type { Sink, SinkStats, StreamItem } from './types.ts';

/**
 * A WebSocket server at `ws://HOST:PORT/stream` (HOST 127.0.0.1 unless another is asked for). Each item is
 * encoded once and sent to every connected client: event and spike batches as binary SPKF frames
 * (src/wire/eventFrame.ts; at most `maxEventsPerFrame` per frame), detections as JSON text
 * `{"type":"detections","t","width","height","boxes":[{"id","x","y","w","h","score"}]}`.
 *
 * Slow consumers: each client has its own queue of at most `maxQueue` messages. A message leaves the queue
 * for the socket only while the socket's unsent bytes (`ws.bufferedAmount`) are below `maxBufferedBytes`.
 * - policy 'drop-oldest' (default): a full queue drops its oldest message and counts it for that client;
 *   `write` never blocks, and other clients are not affected.
 * - policy 'block': `write` returns a promise that resolves when every client's queue has room, so the cold
 *   source is paused by the slowest client.
 * A client that disconnects or errors is removed at once (its queue is dropped and counted), without
 * affecting the others. Items written while no client is connected are not kept (a live view, not a
 * recording). Stats: `written` items, `dropped` messages over all clients, `connections`, `clients` still
 * connected, `disconnected`, and `client<N>.sent` / `client<N>.dropped` per client (also `clientStats()`).
 */
export interface WebSocketSinkOptions {
  readonly host: string;
  /** 0 picks a free port (see `port` on the returned sink). */
  readonly port: number;
  readonly path: string;
  readonly policy: SlowConsumerPolicy;
  readonly maxQueue: number;
  readonly maxBufferedBytes: number;
  readonly maxEventsPerFrame: number;
  readonly include?: readonly StreamItem['kind'][];
  /** Names the sink in error messages (`sinks[1]`). */
  readonly keyPath?: string;
}

export interface WebSocketClientStats {
  readonly id: number;
  readonly remote: string;
  readonly sent: number;
  readonly dropped: number;
  readonly queued: number;
  readonly connected: boolean;
}

export interface WebSocketSink extends Sink {
  readonly port: number;
  readonly url: string;
  clientStats(): WebSocketClientStats[];
}

type Message = Uint8Array | string;

interface Client {
  readonly id: number;
  readonly remote: string;
  readonly ws: WebSocket;
  readonly queue: BoundedQueue<Message>;
  sent: number;
  dropped: number;
  connected: boolean;
}

/** How long `close` lets clients drain their queues before cutting them off. */
const CLOSE_GRACE_MS = 2000;

export async function webSocketSink(options: WebSocketSinkOptions): Promise<WebSocketSink> {
  const { maxBufferedBytes, policy } = options;
  const include = new Set(options.include ?? ['events', 'spikes', 'detections']);
  const server = await listen(options);
  const port = (server.address() as AddressInfo).port;
  const clients = new Set<Client>();
  const everyClient: Client[] = [];
  let written = 0;
  let pending: Promise<void> | undefined;

  server.on('connection', (ws, request) => {
    const client: Client = {
      id: everyClient.length + 1,
      remote: `${request.socket.remoteAddress}:${request.socket.remotePort}`,
      ws,
      queue: new BoundedQueue<Message>(options.maxQueue),
      sent: 0,
      dropped: 0,
      connected: true,
    };
    everyClient.push(client);
    clients.add(client);
    const remove = () => {
      if (!client.connected) return;
      client.connected = false;
      clients.delete(client);
      client.dropped += client.queue.clear().length;
    };
    ws.on('close', remove);
    ws.on('error', () => {
      remove();
      ws.terminate();
    });
  });

  function pump(client: Client): void {
    const { ws, queue } = client;
    while (queue.length > 0 && client.connected && ws.readyState === WebSocket.OPEN && ws.bufferedAmount < maxBufferedBytes) {
      const message = queue.shift()!;
      ws.send(message, { binary: typeof message !== 'string' }, (error) => {
        if (!error) client.sent++;
        pump(client);
      });
    }
  }

  /** Queues a message for every client; returns a promise only when policy 'block' must wait for room. */
  function offer(message: Message): Promise<void> | undefined {
    let waits: Promise<void>[] | undefined;
    for (const client of clients) {
      if (client.queue.full && policy === 'block') {
        (waits ??= []).push(pushWhenRoom(client, message));
        continue;
      }
      if (client.queue.push(message) !== undefined) client.dropped++;
      pump(client);
    }
    return waits ? Promise.all(waits).then(() => undefined) : undefined;
  }

  async function pushWhenRoom(client: Client, message: Message): Promise<void> {
    while (client.connected && client.queue.full) await client.queue.whenRoom();
    if (!client.connected) return;
    client.queue.push(message);
    pump(client);
  }

  function offerAll(messages: Message[]): Promise<void> | undefined {
    for (let i = 0; i < messages.length; i++) {
      const wait = offer(messages[i]);
      if (wait) {
        const rest = messages.slice(i + 1);
        return wait.then(() => offerAll(rest));
      }
    }
    return undefined;
  }

  function encode(item: StreamItem): Message[] {
    if (item.kind === 'detections') return [detectionsMessage(item.detections)];
    if (item.kind === 'spikes') return spikeFrames(item.spikes, options.maxEventsPerFrame);
    const frames: Message[] = [];
    const { events } = item;
    for (let start = 0; start < events.length; start += options.maxEventsPerFrame) {
      frames.push(encodeEventFrame(sliceBatch(events, start, Math.min(events.length, start + options.maxEventsPerFrame))));
    }
    return frames;
  }

  function stats(): SinkStats {
    const result: Record<string, number> = { written, dropped: 0, clients: clients.size, connections: everyClient.length };
    let dropped = 0;
    for (const client of everyClient) {
      dropped += client.dropped;
      result[`client${client.id}.sent`] = client.sent;
      result[`client${client.id}.dropped`] = client.dropped;
    }
    result.dropped = dropped;
    result.disconnected = everyClient.length - clients.size;
    return result as SinkStats;
  }

  return {
    name: 'websocket',
    port,
    url: `ws://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}${options.path}`,
    clientStats: () =>
      everyClient.map((c) => ({ id: c.id, remote: c.remote, sent: c.sent, dropped: c.dropped, queued: c.queue.length, connected: c.connected })),
    write: function writeWebSocket(item) {
      if (!include.has(item.kind)) return undefined;
      written++;
      const messages = encode(item);
      // A caller that did not await a blocked write still gets its items in order.
      const result = pending ? pending.then(() => offerAll(messages)) : offerAll(messages);
      if (!result) return undefined;
      const chained = result.finally(() => {
        if (pending === chained) pending = undefined;
      });
      pending = chained;
      return chained;
    },
    async close(): Promise<SinkStats> {
      await pending;
      await drain([...clients]);
      const open = [...clients];
      const closed = Promise.all(open.map((c) => new Promise<void>((resolve) => c.ws.once('close', () => resolve()))));
      for (const client of open) client.ws.close(1000, 'stream ended');
      await withTimeout(closed, CLOSE_GRACE_MS);
      for (const client of clients) client.ws.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      return stats();
    },
  };
}

function listen(options: WebSocketSinkOptions): Promise<WebSocketServer> {
  return new Promise((resolve, reject) => {
    const server = new WebSocketServer({ host: options.host, port: options.port, path: options.path });
    server.once('listening', () => resolve(server));
    server.once('error', (error: NodeJS.ErrnoException) => {
      const where = `${options.host}:${options.port}`;
      const why = error.code === 'EADDRINUSE' ? 'the port is already in use; choose another port' : error.message;
      reject(new ExternalError(`${options.keyPath ?? 'websocket sink'}: cannot listen on ${where}: ${why}`, { cause: error }));
    });
  });
}

async function withTimeout(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** Waits until every client's queue and socket buffer are empty, or the grace period ends. */
async function drain(clients: Client[]): Promise<void> {
  const deadline = Date.now() + CLOSE_GRACE_MS;
  const busy = () => clients.some((c) => c.connected && (c.queue.length > 0 || c.ws.bufferedAmount > 0));
  while (busy() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
}

export function detectionsMessage(frame: DetectionFrame): string {
  return JSON.stringify({
    type: 'detections',
    t: frame.t,
    width: frame.width,
    height: frame.height,
    boxes: frame.boxes.map((b) => ({ id: b.id, x: b.x, y: b.y, w: b.w, h: b.h, score: b.score })),
  });
}

/** Spike frames of at most `max` spikes; a frame's `until` is the next frame's first t (all spikes before it are in). */
function spikeFrames(spikes: SpikeBatch, max: number): Message[] {
  if (spikes.length <= max) return [encodeSpikeFrame(spikes)];
  const frames: Message[] = [];
  for (let start = 0; start < spikes.length; start += max) {
    const end = Math.min(spikes.length, start + max);
    frames.push(
      encodeSpikeFrame({
        t: spikes.t.subarray(start, end),
        neuron: spikes.neuron.subarray(start, end),
        length: end - start,
        population: spikes.population,
        until: end < spikes.length ? spikes.t[end] : spikes.until,
      }),
    );
  }
  return frames;
}
