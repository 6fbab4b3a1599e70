/**
 * Network sink throughput on loopback (127.0.0.1), in events per second, with what was dropped:
 * - UDP: udpSink in this process → fromUdp in a child process (two spikeflow ends chained, as in real use),
 *   both layouts; 'block' policy, so the only losses are the receiver's kernel buffer (`kernelDrops`).
 * - WebSocket: webSocketSink → one `ws` client in this process, 65,536 events per frame, both policies.
 * - Encoding kernels alone (datagrams, SPKF frames), for comparison with the socket figures.
 * The stream is synthetic (seeded), 2 M events in 65,536-event batches, 1280 × 720.
 *
 *   npm run bench -- sinks            # via the runner
 *   npx tsx bench/sinks.bench.ts      # prints the figures directly
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { makeBatch, type EventBatch } from '../src/events/eventBatch.ts';
import { udpSink } from '../src/sinks/udpSink.ts';
import { webSocketSink } from '../src/sinks/webSocketSink.ts';
import { fromUdp } from '../src/sources/fromUdp.ts';
import { encodeEventFrame } from '../src/wire/eventFrame.ts';
import { encodeDatagrams, type UdpFormatName } from '../src/wire/udpFormat.ts';

const self = fileURLToPath(import.meta.url);
const TOTAL = 2_000_000;
const BATCH = 65_536;

function stream(total: number): EventBatch[] {
  let state = 12345;
  const rand = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0);
  const batches: EventBatch[] = [];
  let time = 0;
  for (let start = 0; start < total; start += BATCH) {
    const n = Math.min(BATCH, total - start);
    const t = new Float64Array(n);
    const x = new Uint16Array(n);
    const y = new Uint16Array(n);
    const p = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      time += rand() % 3;
      t[i] = time;
      x[i] = rand() % 1280;
      y[i] = rand() % 720;
      p[i] = rand() & 1;
    }
    batches.push(makeBatch({ width: 1280, height: 720 }, t, x, y, p));
  }
  return batches;
}

const rate = (events: number, ms: number) => Math.round(events / (ms / 1000));

function kernels(batches: EventBatch[]): Record<string, number> {
  const result: Record<string, number> = {};
  const layouts: [string, UdpFormatName, boolean][] = [['t64_x16_y16_on8', 't64_x16_y16_on8', false], ['spif', 'spif', false], ['spifTimestamps', 'spif', true]];
  for (const [name, format, timestamps] of layouts) {
    const started = performance.now();
    for (const b of batches) encodeDatagrams(b, { format, timestamps }, 1472, 'bench');
    result[`encodeDatagrams.${name}.eventsPerS`] = rate(TOTAL, performance.now() - started);
  }
  const started = performance.now();
  for (const b of batches) encodeEventFrame(b);
  result['encodeEventFrame.eventsPerS'] = rate(TOTAL, performance.now() - started);
  return result;
}

async function udp(batches: EventBatch[], format: UdpFormatName, timestamps: boolean): Promise<Record<string, number>> {
  const child = spawn(process.execPath, ['--import', 'tsx', self, '--udp-receiver', format], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const { port } = JSON.parse((await lines.next()).value as string) as { port: number };
  const sink = await udpSink({ host: '127.0.0.1', port, format, timestamps, maxPayload: 1472, policy: 'block', maxQueue: 1024, endMarker: true });
  const started = performance.now();
  for (const events of batches) await sink.write({ kind: 'events', events });
  const sent = await sink.close();
  const ms = performance.now() - started;
  const received = JSON.parse((await lines.next()).value as string) as { events: number; kernelDrops: number; receiveMs: number };
  child.kill();
  return {
    sentEventsPerS: rate(sent.events, ms),
    receivedEventsPerS: rate(received.events, received.receiveMs),
    sent: sent.events,
    received: received.events,
    lost: sent.events - received.events,
    kernelDropsDatagrams: received.kernelDrops,
    sinkDropped: sent.dropped,
    datagrams: sent.datagrams,
  };
}

async function webSocket(batches: EventBatch[], policy: 'block' | 'drop-oldest'): Promise<Record<string, number>> {
  const sink = await webSocketSink({ host: '127.0.0.1', port: 0, path: '/stream', policy, maxQueue: 16, maxBufferedBytes: 4 << 20, maxEventsPerFrame: BATCH });
  const ws = new WebSocket(sink.url);
  let received = 0;
  ws.on('message', (data: Buffer) => (received += data.readUInt32LE(16)));
  const closed = new Promise((resolve) => ws.on('close', resolve));
  await new Promise((resolve) => ws.once('open', resolve));
  const started = performance.now();
  for (const events of batches) await sink.write({ kind: 'events', events });
  const stats = await sink.close();
  await closed;
  const ms = performance.now() - started;
  return { eventsPerS: rate(received, ms), received, droppedFrames: stats.dropped };
}

export default async function bench(): Promise<Record<string, unknown>> {
  const batches = stream(TOTAL);
  const result: Record<string, unknown> = { events: TOTAL, batchEvents: BATCH, kernels: kernels(batches) };
  result.udp_t64_x16_y16_on8 = await udp(batches, 't64_x16_y16_on8', false);
  result.udp_spif_timestamps = await udp(batches, 'spif', true);
  result.websocket_block = await webSocket(batches, 'block');
  result.websocket_dropOldest = await webSocket(batches, 'drop-oldest');
  result.peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
  return result;
}

// Child side: receives until the end marker, then prints its counts.
const receiverAt = process.argv.indexOf('--udp-receiver');
if (receiverAt >= 0) {
  const format = process.argv[receiverAt + 1] as UdpFormatName;
  let events = 0;
  let firstAt = 0;
  let lastAt = 0;
  // The end marker is a datagram like any other and can be dropped by the kernel under load: end on silence too.
  const source = fromUdp(0, { format, width: 1280, height: 720, idleTimeoutMs: 2000, onListening: (port) => console.log(JSON.stringify({ port })) });
  source.subscribe({
    next(batch) {
      if (events === 0) firstAt = performance.now();
      events += batch.length;
      lastAt = performance.now();
    },
    complete() {
      console.log(JSON.stringify({ events, kernelDrops: source.stats.kernelDrops, receiveMs: lastAt - firstAt }));
    },
  });
} else if (process.argv[1] === self) {
  console.log(JSON.stringify(await bench(), null, 2));
}
