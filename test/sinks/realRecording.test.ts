import { firstValueFrom, lastValueFrom, concatMap, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { concatBatches } from '../../src/events/eventBatch.ts';
import { createSink } from '../../src/sinks/registry.ts';
import type { WebSocketSink } from '../../src/sinks/webSocketSink.ts';
import { fromFile } from '../../src/sources/fromFile.ts';
import { fromUdp } from '../../src/sources/fromUdp.ts';
import { decodeFrame } from '../../src/wire/eventFrame.ts';
import { bundled } from '../helpers/shared.ts';
import { fieldDigests } from '../helpers/digests.ts';

// recordings/evt3/README.md: 5,000 events, first (5840504 µs, 707, 297, OFF), last (5885714, 598, 260, OFF),
// OFF 2,106 / ON 2,894, sensor 1280 × 720.
const PEDESTRIANS = bundled('evt3/expelliarmus_evt3_pedestrians_5000ev.raw');
const context = { outDir: '/tmp/spikeflow-real-unused', keyPath: 'sinks[0]' };

function expectPedestrianFacts(events: ReturnType<typeof concatBatches>): void {
  expect(events.length).toBe(5000);
  expect([events.width, events.height]).toEqual([1280, 720]);
  expect([events.t[0], events.x[0], events.y[0], events.p[0]]).toEqual([5840504, 707, 297, 0]);
  expect([events.t[4999], events.x[4999], events.y[4999], events.p[4999]]).toEqual([5885714, 598, 260, 0]);
  expect(events.p.reduce((on, p) => on + p, 0)).toBe(2894);
}

describe('a real recording through the network sinks', () => {
  it('EVT3 pedestrians: file → udp sink (chunks of 700 events) → fromUdp keeps every field', async () => {
    const reference = concatBatches(await lastValueFrom(fromFile(PEDESTRIANS, { chunkSize: 4096 }).pipe(toArray())));
    expectPedestrianFacts(reference);
    let listening!: (port: number) => void;
    const bound = new Promise<number>((resolve) => (listening = resolve));
    const source = fromUdp(0, { width: 1280, height: 720, onListening: listening });
    const received = firstValueFrom(source.pipe(toArray()));
    const sink = await createSink({ type: 'udp', port: await bound, policy: 'block', maxQueue: 16 }, context);
    await lastValueFrom(fromFile(PEDESTRIANS, { chunkSize: 4096 }).pipe(concatMap(async (events) => sink.write({ kind: 'events', events }))), { defaultValue: undefined });
    expect(await sink.close()).toMatchObject({ events: 5000, dropped: 0 });
    const output = concatBatches(await received, { width: 1280, height: 720 });
    expectPedestrianFacts(output);
    expect(fieldDigests(output)).toEqual(fieldDigests(reference));
  });

  it('EVT3 pedestrians: file → websocket sink → ws client decodes the same events', async () => {
    const sink = (await createSink({ type: 'websocket', port: 0, maxEventsPerFrame: 999 }, context)) as WebSocketSink;
    const ws = new WebSocket(sink.url);
    const frames: Buffer[] = [];
    ws.on('message', (data) => frames.push(data as Buffer));
    const closed = new Promise((resolve) => ws.on('close', resolve));
    await new Promise((resolve) => ws.once('open', resolve));
    await lastValueFrom(fromFile(PEDESTRIANS).pipe(concatMap(async (events) => sink.write({ kind: 'events', events }))), { defaultValue: undefined });
    await sink.close();
    await closed;
    const output = concatBatches(frames.map((f) => decodeFrame(f)).map((d) => (d.kind === 'events' ? d.events : (undefined as never))));
    expectPedestrianFacts(output);
    expect(frames.length).toBe(Math.ceil(5000 / 999));
  });
});
