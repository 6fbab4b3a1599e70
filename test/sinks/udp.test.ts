import { createSocket, type Socket } from 'node:dgram';
import { firstValueFrom, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, ExternalError } from '../../src/errors.ts';
import { concatBatches } from '../../src/events/eventBatch.ts';
import { EventBatchBuilder } from '../../src/events/eventBatchBuilder.ts';
import { createSink } from '../../src/sinks/registry.ts';
import { fromUdp } from '../../src/sources/fromUdp.ts';
import { createDatagramReader, type UdpFormatName } from '../../src/wire/udpFormat.ts';
import { splitEvents, syntheticEvents } from './synthetic.ts';

const context = { outDir: '/tmp/spikeflow-udp-unused', keyPath: 'sinks[0]' };
const sockets: Socket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
});

/** A plain UDP socket on an ephemeral loopback port that records every datagram until the empty end marker. */
async function receiver(): Promise<{ port: number; done: Promise<Buffer[]> }> {
  const socket = createSocket('udp4');
  sockets.push(socket);
  const received: Buffer[] = [];
  const done = new Promise<Buffer[]>((resolve) =>
    socket.on('message', (d) => (d.byteLength === 0 ? resolve(received) : received.push(d))),
  );
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  // Room for everything a test sends even when the receiving side of this process lags (capped by rmem_max).
  socket.setRecvBufferSize(1 << 20);
  return { port: socket.address().port, done };
}

describe('udp sink → a plain UDP socket on loopback', () => {
  const cases: { format: UdpFormatName; timestamps: boolean; bytes: number }[] = [
    { format: 't64_x16_y16_on8', timestamps: false, bytes: 13 },
    { format: 'spif', timestamps: true, bytes: 8 },
    { format: 'spif', timestamps: false, bytes: 4 },
  ];
  for (const { format, timestamps, bytes } of cases) {
    it(`${format}${timestamps ? ' with timestamps' : ''}: datagrams of whole events within the payload limit, decoded back equal`, async () => {
      const input = syntheticEvents(3000, 7);
      const { port, done } = await receiver();
      const sink = await createSink({ type: 'udp', port, format, ...(timestamps ? { timestamps } : {}), maxPayload: 1000, policy: 'block' }, context);
      for (const part of splitEvents(input, [1, 999, 0, 2000])) await sink.write({ kind: 'events', events: part });
      await sink.write({ kind: 'detections', detections: { t: 0, width: 640, height: 480, boxes: [] } });
      const stats = await sink.close();
      const datagrams = await done;
      const perDatagram = Math.floor(1000 / bytes);
      // Batches are cut independently: 1 | 999 | 2000 events.
      const expected = [1, ...chunks(999, perDatagram), ...chunks(2000, perDatagram)];
      expect(datagrams.map((d) => d.byteLength / bytes)).toEqual(expected);
      expect(stats).toEqual({ written: 4, dropped: 0, events: 3000, datagrams: expected.length, ignored: 1 });
      const read = createDatagramReader(format);
      const builder = new EventBatchBuilder();
      for (const d of datagrams) read(d, builder, 42);
      const output = builder.take(input);
      expect(output.x).toEqual(input.x);
      expect(output.y).toEqual(input.y);
      expect(output.p).toEqual(input.p);
      if (format === 'spif' && !timestamps) expect(output.t.every((t) => t === 42)).toBe(true);
      else expect(output.t).toEqual(input.t);
    });
  }

  it('drop-oldest: a batch larger than the queue loses its oldest datagrams, counted; block loses none', async () => {
    const input = syntheticEvents(8000, 3);
    const { port, done } = await receiver();
    const dropping = await createSink({ type: 'udp', port, maxQueue: 10, endMarker: false }, context);
    expect(dropping.write({ kind: 'events', events: input })).toBeUndefined();
    const stats = await dropping.close();
    expect(stats.dropped).toBeGreaterThan(0);
    expect(stats.events + stats.dropped).toBe(8000);
    // The newest events made it: the last event sent is the input's last event.
    const blocking = await createSink({ type: 'udp', port, maxQueue: 10, policy: 'block' }, context);
    const pending = blocking.write({ kind: 'events', events: input });
    expect(pending).toBeInstanceOf(Promise);
    await pending;
    const blocked = await blocking.close();
    expect(blocked).toMatchObject({ dropped: 0, events: 8000 });
    const datagrams = await done;
    const read = createDatagramReader('t64_x16_y16_on8');
    const builder = new EventBatchBuilder();
    for (const d of datagrams) read(d, builder, 0);
    const all = builder.take(input);
    expect(all.length).toBe(stats.events + 8000);
    expect(all.t[stats.events - 1]).toBe(input.t[7999]);
    expect(all.t.subarray(stats.events)).toEqual(input.t);
  });

  it('rejects bad options with the key path, and an unresolvable host clearly', async () => {
    await expect(createSink({ type: 'udp', port: 70000 }, context)).rejects.toThrow(new ConfigError('sinks[0].port', 70000, 'an integer in 1..65535'));
    await expect(createSink({ type: 'udp', port: 9, format: 'raw' }, context)).rejects.toThrow(/sinks\[0\]\.format: "raw" is not allowed \(one of t64_x16_y16_on8, spif\)/);
    await expect(createSink({ type: 'udp', port: 9, timestamps: true }, context)).rejects.toThrow(/sinks\[0\]\.timestamps/);
    await expect(createSink({ type: 'udp', port: 9, maxPayload: 70000 }, context)).rejects.toThrow(/sinks\[0\]\.maxPayload: 70000 .*13\.\.65507/);
    await expect(createSink({ type: 'udp', port: 9, prot: 1 }, context)).rejects.toThrow(/sinks\[0\]\.prot: 1 is not allowed \(a known option/);
    await expect(createSink({ type: 'udp', port: 9, host: 'no-such-host.invalid' }, context)).rejects.toThrow(ExternalError);
  });

  it('rejects an event the format cannot carry with the event index (spif: x above 32767)', async () => {
    const sink = await createSink({ type: 'udp', port: 9, format: 'spif' }, context);
    const wide = { ...syntheticEvents(3, 1, 40000, 10), x: Uint16Array.of(1, 2, 33000) };
    expect(() => sink.write({ kind: 'events', events: wide })).toThrow(new ConfigError('sinks[0]: event 2 x', 33000, '0..32767 for spif'));
    await sink.close();
  });
});

describe('udp sink → fromUdp (two spikeflow ends chained)', () => {
  for (const [format, timestamps] of [['t64_x16_y16_on8', false], ['spif', true]] as const) {
    it(`${format}: the source emits exactly the input and completes on the end marker`, async () => {
      const input = syntheticEvents(5000, 11, 640, 480, 2 ** 32 - 40_000);
      let listening!: (port: number) => void;
      const bound = new Promise<number>((resolve) => (listening = resolve));
      const source = fromUdp(0, { format, width: 640, height: 480, onListening: listening });
      const collected = firstValueFrom(source.pipe(toArray()));
      const port = await bound;
      const sink = await createSink({ type: 'udp', port, format, timestamps, policy: 'block', maxQueue: 64 }, context);
      for (const part of splitEvents(input, [1000, 1000, 1000, 2000])) await sink.write({ kind: 'events', events: part });
      await sink.close();
      const output = concatBatches(await collected, input);
      expect(output.width).toBe(640);
      expect(output.t).toEqual(input.t);
      expect(output.x).toEqual(input.x);
      expect(output.y).toEqual(input.y);
      expect(output.p).toEqual(input.p);
      expect(source.stats).toMatchObject({ port, events: 5000, outOfOrder: 0, malformed: 0, outOfRange: 0 });
    });
  }

  it('emits at once when maxBufferedEvents is reached, so no batch outgrows the bound by more than a datagram', async () => {
    let listening!: (port: number) => void;
    const bound = new Promise<number>((resolve) => (listening = resolve));
    const source = fromUdp(0, { maxBufferedEvents: 200, onListening: listening });
    const collected = firstValueFrom(source.pipe(toArray()));
    const sink = await createSink({ type: 'udp', port: await bound, policy: 'block' }, context);
    const input = syntheticEvents(3000, 13);
    await sink.write({ kind: 'events', events: input });
    await sink.close();
    const batches = await collected;
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThan(200 + 113);
    expect(concatBatches(batches, input).t).toEqual(input.t);
  });

  it('drops datagrams that go back in time and events outside the geometry, counted', async () => {
    let listening!: (port: number) => void;
    const bound = new Promise<number>((resolve) => (listening = resolve));
    const source = fromUdp(0, { width: 100, height: 100, onListening: listening });
    const collected = firstValueFrom(source.pipe(toArray()));
    const port = await bound;
    const sink = await createSink({ type: 'udp', port, policy: 'block' }, context);
    const late = syntheticEvents(10, 5, 100, 100, 5_000_000);
    const early = syntheticEvents(10, 6, 100, 100, 1_000);
    const wide = { ...syntheticEvents(4, 7, 200, 100, 6_000_000), x: Uint16Array.of(1, 150, 2, 199) };
    for (const events of [late, early, wide]) await sink.write({ kind: 'events', events });
    await sink.close();
    const output = concatBatches(await collected, { width: 100, height: 100 });
    expect(output.length).toBe(12);
    expect(Array.from(output.x.subarray(10))).toEqual([1, 2]);
    expect(source.stats).toMatchObject({ datagrams: 3, outOfOrder: 1, outOfRange: 2, events: 12 });
  });

  it('fails clearly when the port is in use, and checks its options', async () => {
    const holder = createSocket('udp4');
    sockets.push(holder);
    await new Promise<void>((resolve) => holder.bind(0, '127.0.0.1', () => resolve()));
    const busy = holder.address().port;
    await expect(firstValueFrom(fromUdp(busy))).rejects.toThrow(new RegExp(`cannot receive on 127.0.0.1:${busy}: the port is already in use`));
    expect(() => fromUdp(-1)).toThrow(ConfigError);
    expect(() => fromUdp(0, { format: 'raw' as UdpFormatName })).toThrow(/format: "raw"/);
  });

  it('completes after idleTimeoutMs without datagrams, and unsubscribing frees the port', async () => {
    let listening!: (port: number) => void;
    const bound = new Promise<number>((resolve) => (listening = resolve));
    const first = fromUdp(0, { idleTimeoutMs: 50, onListening: listening });
    await expect(firstValueFrom(first.pipe(toArray()))).resolves.toEqual([]);
    const port = await bound;
    const again = fromUdp(port, { idleTimeoutMs: 20 });
    await expect(firstValueFrom(again.pipe(toArray()))).resolves.toEqual([]);
  });
});

function chunks(n: number, size: number): number[] {
  const out: number[] = [];
  for (let left = n; left > 0; left -= size) out.push(Math.min(size, left));
  return out;
}
