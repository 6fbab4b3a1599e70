import { createSocket, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { ExternalError } from '../errors.ts';
import { encodeDatagrams, type Datagram, type UdpFormatName } from '../wire/udpFormat.ts';
import { BoundedQueue } from './boundedQueue.ts';
import type { SlowConsumerPolicy } from './options.ts';
import type { Sink, SinkStats } from './types.ts';

/**
 * Event batches as UDP datagrams to HOST:PORT (127.0.0.1 unless another host is asked for), in faery's
 * `t64_x16_y16_on8` layout (default) or AEStream's SPIF words (src/wire/). Each datagram holds whole events
 * and at most `maxPayload` bytes (default 1472: no IP fragmentation on a 1500-byte MTU). Spikes and
 * detections are not sent (counted as `ignored`). With `endMarker` (default) an empty datagram is sent at
 * close, which `fromUdp` takes as the end of the stream (other receivers ignore empty datagrams).
 *
 * Slow consumers: UDP has no feedback from the receiver, so the buffer that can fill is ours — a queue of at
 * most `maxQueue` datagrams waiting for the socket (a few sends are kept in flight).
 * - policy 'drop-oldest' (default): a full queue drops its oldest datagram; `dropped` counts its events.
 *   A single batch bigger than the queue therefore loses its oldest part.
 * - policy 'block': `write` returns a promise that resolves when the queue has room, pausing a cold source.
 * A receiver that reads too slowly loses datagrams in its own kernel buffer; the sender cannot see that.
 * Stats: `written` batches, `events` and `datagrams` sent, `dropped` events, `ignored` items.
 */
export interface UdpSinkOptions {
  readonly host: string;
  readonly port: number;
  readonly format: UdpFormatName;
  /** spif only: follow each event word by a 32-bit timestamp word. */
  readonly timestamps: boolean;
  readonly maxPayload: number;
  readonly policy: SlowConsumerPolicy;
  readonly maxQueue: number;
  readonly endMarker: boolean;
  /** Names the sink in error messages (`sinks[1]`). */
  readonly keyPath?: string;
}

/** Sends handed to the socket and not yet confirmed. */
const MAX_IN_FLIGHT = 32;

export async function udpSink(options: UdpSinkOptions): Promise<Sink> {
  const name = options.keyPath ?? 'udp sink';
  const { port, policy } = options;
  const address = await resolveHost(options.host, name);
  const socket: Socket = createSocket(address.family === 6 ? 'udp6' : 'udp4');
  let failure: ExternalError | undefined;
  socket.on('error', (error) => {
    failure ??= new ExternalError(`${name}: UDP socket failed: ${error.message}`, { cause: error });
  });
  const queue = new BoundedQueue<Datagram>(options.maxQueue);
  const layout = { format: options.format, timestamps: options.timestamps };
  let inFlight = 0;
  let written = 0;
  let events = 0;
  let datagrams = 0;
  let dropped = 0;
  let ignored = 0;
  let pending: Promise<void> | undefined;
  let idleWaiters: (() => void)[] = [];

  function pump(): void {
    while (queue.length > 0 && inFlight < MAX_IN_FLIGHT && !failure) {
      const datagram = queue.shift()!;
      inFlight++;
      socket.send(datagram.bytes, port, address.address, (error) => {
        inFlight--;
        if (error) failure ??= new ExternalError(`${name}: sending to ${address.address}:${port} failed: ${error.message}`, { cause: error });
        else {
          events += datagram.events;
          datagrams++;
        }
        pump();
      });
    }
    if ((queue.length === 0 || failure) && inFlight === 0 && idleWaiters.length > 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  function offerAll(list: Datagram[], from: number): Promise<void> | undefined {
    for (let i = from; i < list.length; i++) {
      if (failure) throw failure;
      if (queue.full && policy === 'block') return queue.whenRoom().then(() => offerAll(list, i));
      const evicted = queue.push(list[i]);
      if (evicted) dropped += evicted.events;
      pump();
    }
    return undefined;
  }

  return {
    name: 'udp',
    write: function writeUdp(item) {
      if (failure) throw failure;
      if (item.kind !== 'events') {
        ignored++;
        return undefined;
      }
      written++;
      const list = encodeDatagrams(item.events, layout, options.maxPayload, name);
      const result = pending ? pending.then(() => offerAll(list, 0)) : offerAll(list, 0);
      if (!result) return undefined;
      const chained = result.finally(() => {
        if (pending === chained) pending = undefined;
      });
      pending = chained;
      return chained;
    },
    async close(): Promise<SinkStats> {
      try {
        await pending;
        await new Promise<void>((resolve) => {
          idleWaiters.push(resolve);
          pump();
        });
        if (options.endMarker && !failure) {
          await new Promise<void>((resolve) => socket.send(new Uint8Array(0), port, address.address, () => resolve()));
        }
        if (failure) throw failure;
        return { written, dropped, events, datagrams, ignored };
      } finally {
        socket.close();
      }
    },
  };
}

async function resolveHost(host: string, name: string): Promise<{ address: string; family: number }> {
  try {
    return await lookup(host);
  } catch (error) {
    throw new ExternalError(`${name}: cannot resolve host ${JSON.stringify(host)}: ${(error as Error).message}`, { cause: error });
  }
}
