import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.ts';
import { makeBatch, type EventBatch } from '../../src/events/eventBatch.ts';
import { formats } from '../../src/formats/registry.ts';
import type { EncoderOptions, FormatModule } from '../../src/formats/types.ts';
import { eventFileSink } from '../../src/sinks/eventFileSink.ts';
import { createSink } from '../../src/sinks/registry.ts';
import { readAllEvents } from '../../src/sources/readAllEvents.ts';
import { splitEvents, syntheticEvents } from './synthetic.ts';

let outDir = '';
beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'spikeflow-sinks-'));
});
afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});
const ctx = (keyPath = 'sinks[0]') => ({ outDir, keyPath });

function batchOf(geometry: { width: number; height: number }, rows: [number, number, number, number][]): EventBatch {
  return makeBatch(
    geometry,
    Float64Array.from(rows.map((r) => r[0])),
    Uint16Array.from(rows.map((r) => r[1])),
    Uint16Array.from(rows.map((r) => r[2])),
    Uint8Array.from(rows.map((r) => r[3])),
  );
}

describe('ndjson sink', () => {
  it('writes detections as one box per line, spikes and events as one compact record per batch', async () => {
    const sink = await createSink({ type: 'ndjson', path: 'run/all.ndjson' }, ctx());
    const events = batchOf({ width: 8, height: 4 }, [[5, 1, 2, 1], [7, 3, 0, 0]]);
    await sink.write({ kind: 'events', events });
    await sink.write({ kind: 'spikes', spikes: { t: Float64Array.of(9), neuron: Uint32Array.of(12), length: 1, population: 'out', until: 10 } });
    await sink.write({
      kind: 'detections',
      detections: { t: 100, width: 8, height: 4, boxes: [{ id: 1, x: 0, y: 1, w: 2, h: 3, score: 0.5, vx: 9 }, { id: 2, x: 4, y: 0, w: 1, h: 1, score: 1 }] },
    });
    await sink.write({ kind: 'detections', detections: { t: 200, width: 8, height: 4, boxes: [] } });
    expect(await sink.close()).toEqual({ written: 4, dropped: 0, lines: 4, ignored: 0 });
    const lines = (await readFile(join(outDir, 'run/all.ndjson'), 'utf8')).split('\n');
    expect(lines).toEqual([
      '{"type":"events","width":8,"height":4,"t":[5,7],"x":[1,3],"y":[2,0],"p":[1,0]}',
      '{"type":"spikes","population":"out","until":10,"t":[9],"neuron":[12]}',
      '{"t":100,"id":1,"x":0,"y":1,"w":2,"h":3,"score":0.5}',
      '{"t":100,"id":2,"x":4,"y":0,"w":1,"h":1,"score":1}',
      '',
    ]);
  });

  it('writes one line per event only when asked, and only the kinds included', async () => {
    const sink = await createSink({ type: 'ndjson', path: 'lines.ndjson', events: 'lines', include: ['events'] }, ctx());
    const input = syntheticEvents(300, 4);
    for (const part of splitEvents(input, [100, 0, 200])) await sink.write({ kind: 'events', events: part });
    await sink.write({ kind: 'detections', detections: { t: 1, width: 1, height: 1, boxes: [{ id: 1, x: 0, y: 0, w: 1, h: 1, score: 1 }] } });
    expect(await sink.close()).toMatchObject({ written: 3, lines: 300, ignored: 1 });
    const parsed = (await readFile(join(outDir, 'lines.ndjson'), 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(parsed.length).toBe(300);
    expect(parsed.map((e) => e.t)).toEqual(Array.from(input.t));
    expect(parsed.map((e) => e.x)).toEqual(Array.from(input.x));
    expect(parsed[17]).toEqual({ t: input.t[17], x: input.x[17], y: input.y[17], p: input.p[17] });
  });

  it('rejects a path outside the output folder, a bad option and an unknown sink type with the key path', async () => {
    await expect(createSink({ type: 'ndjson', path: '../escape.ndjson' }, ctx('sinks[3]'))).rejects.toThrow(/^sinks\[3\]\.path: "\.\.\/escape\.ndjson" is not allowed \(a file path inside the output directory/);
    await expect(createSink({ type: 'ndjson', path: '/etc/x.ndjson' }, ctx('sinks[3]'))).rejects.toThrow(ConfigError);
    await expect(createSink({ type: 'ndjson', path: 'a.ndjson', events: 'all' }, ctx('sinks[3]'))).rejects.toThrow(new ConfigError('sinks[3].events', 'all', 'one of batch, lines'));
    await expect(createSink({ type: 'ndjson' }, ctx('sinks[3]'))).rejects.toThrow(new ConfigError('sinks[3].path', undefined, 'a non-empty string'));
    await expect(createSink({ type: 'mqtt' }, ctx('sinks[3]'))).rejects.toThrow(/^sinks\[3\]\.type: "mqtt" is not allowed \(one of ndjson, png-sequence, event-file, websocket, udp, nats\)/);
    await expect(createSink({ type: 'nats', url: 'nats://127.0.0.1:4222' }, ctx('sinks[5]'))).rejects.toThrow(new ConfigError('sinks[5].stream', undefined, 'a non-empty string'));
    await expect(createSink({ type: 'nats', stream: 'cam', persist: 'yes' }, ctx('sinks[5]'))).rejects.toThrow(new ConfigError('sinks[5].persist', 'yes', 'true or false'));
  });
});

describe('png-sequence sink', () => {
  it('paints each time window into a PNG: ON 255, OFF 0, no event 128; blank frames fill gaps', async () => {
    const sink = await createSink({ type: 'png-sequence', dir: 'frames', windowUs: 1000 }, ctx());
    const g = { width: 4, height: 3 };
    // Windows: [1000,2000) has 3 events (pixel (1,1) ends OFF), [2000,3000) none, [3000,4000) one, split over two batches.
    await sink.write({ kind: 'events', events: batchOf(g, [[1500, 0, 0, 1], [1600, 1, 1, 1], [1999, 1, 1, 0]]) });
    await sink.write({ kind: 'events', events: batchOf(g, [[3000, 3, 2, 1]]) });
    await sink.write({ kind: 'events', events: batchOf(g, [[3999, 2, 0, 0]]) });
    expect(await sink.close()).toMatchObject({ written: 3, frames: 3 });
    expect((await readdir(join(outDir, 'frames'))).sort()).toEqual(['frame-000000.png', 'frame-000001.png', 'frame-000002.png']);
    const pixels = async (name: string) => {
      const file = join(outDir, 'frames', name);
      const meta = await sharp(file).metadata();
      expect([meta.width, meta.height, meta.channels, meta.format]).toEqual([4, 3, 1, 'png']);
      const { data } = await sharp(file).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
      return Array.from(data);
    };
    expect(await pixels('frame-000000.png')).toEqual([255, 128, 128, 128, 128, 0, 128, 128, 128, 128, 128, 128]);
    expect(await pixels('frame-000001.png')).toEqual(new Array(12).fill(128));
    expect(await pixels('frame-000002.png')).toEqual([128, 128, 0, 128, 128, 128, 128, 128, 128, 128, 128, 255]);
  });

  it('count style scales the busiest pixel to 255; skipEmpty leaves gaps out', async () => {
    const sink = await createSink({ type: 'png-sequence', dir: 'counts', windowUs: 10, style: 'count', prefix: 'c', skipEmpty: true }, ctx());
    const g = { width: 2, height: 1 };
    await sink.write({ kind: 'events', events: batchOf(g, [[0, 0, 0, 1], [1, 0, 0, 0], [2, 0, 0, 1], [3, 0, 0, 1], [4, 1, 0, 1], [95, 1, 0, 0]]) });
    await sink.close();
    expect((await readdir(join(outDir, 'counts'))).sort()).toEqual(['c000000.png', 'c000009.png']);
    const { data } = await sharp(join(outDir, 'counts', 'c000000.png')).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    expect(Array.from(data)).toEqual([255, 64]);
  });

  it('rejects bad options with the key path', async () => {
    await expect(createSink({ type: 'png-sequence', windowUs: 0 }, ctx('sinks[2]'))).rejects.toThrow(new ConfigError('sinks[2].windowUs', 0, 'an integer in 1..3600000000'));
    await expect(createSink({ type: 'png-sequence', prefix: '../x' }, ctx('sinks[2]'))).rejects.toThrow(/sinks\[2\]\.prefix/);
    await expect(createSink({ type: 'png-sequence', style: 'heat' }, ctx('sinks[2]'))).rejects.toThrow(/sinks\[2\]\.style: "heat" is not allowed \(one of polarity, count\)/);
  });
});

describe('event-file sink', () => {
  /** A tiny line format written by the test, to check the sink's calls independently of real encoders. */
  function lineFormat(calls: string[], bytesPerEvent = 1): FormatModule {
    return {
      name: 'lines',
      extensions: ['.lines'],
      sniff: () => 'no',
      createEncoder(options: EncoderOptions) {
        calls.push(`create ${options.width}x${options.height}`);
        return {
          header: () => new TextEncoder().encode(`# ${options.width} ${options.height}\n`),
          encode: (b: EventBatch) => new TextEncoder().encode(Array.from(b.t, (t, i) => `${t} ${b.x[i]}\n`.repeat(bytesPerEvent)).join('')),
          end: () => new TextEncoder().encode('# end\n'),
        };
      },
    };
  }

  it('opens the encoder at the first batch with its geometry, writes header, batches and trailer', async () => {
    const calls: string[] = [];
    const path = join(outDir, 'sub/out.lines');
    const sink = await eventFileSink({ path, format: lineFormat(calls) });
    await sink.write({ kind: 'spikes', spikes: { t: new Float64Array(0), neuron: new Uint32Array(0), length: 0, population: 'x', until: 0 } });
    await sink.write({ kind: 'events', events: batchOf({ width: 5, height: 6 }, [[1, 2, 0, 0], [3, 4, 0, 1]]) });
    await sink.write({ kind: 'events', events: batchOf({ width: 5, height: 6 }, [[8, 0, 0, 0]]) });
    expect(await sink.close()).toEqual({ written: 2, dropped: 0, events: 3, ignored: 1 });
    expect(calls).toEqual(['create 5x6']);
    expect(await readFile(path, 'utf8')).toBe('# 5 6\n1 2\n3 4\n8 0\n# end\n');
  });

  it('feeds a whole-file writer through its queue and waits for it', async () => {
    const seen: number[] = [];
    const format: FormatModule = {
      name: 'whole',
      extensions: [],
      sniff: () => 'no',
      async writeFile(_path, batches, options) {
        seen.push(options.width);
        for await (const b of batches) {
          await new Promise((resolve) => setTimeout(resolve, 1));
          seen.push(b.length);
        }
      },
    };
    const sink = await eventFileSink({ path: join(outDir, 'whole.bin'), format, geometry: { width: 99, height: 1 } });
    for (let i = 1; i <= 10; i++) await sink.write({ kind: 'events', events: syntheticEvents(i, i, 99, 1) });
    await sink.close();
    expect(seen).toEqual([99, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  const roundTrip = formats.filter((f) => (f.createEncoder || f.writeFile) && (f.createDecoder || f.readFile) && ['es', 'npy', 'evt3', 'hdf5', 'aedat4'].includes(f.name));
  it.each(roundTrip.map((f) => [f.name, f.extensions[0] ?? `.${f.name}`]))('%s: events written through the registry read back equal', async (name, extension) => {
    const input = syntheticEvents(3000, 21, 320, 240);
    const file = `round-trip/events${extension}`;
    const sink = await createSink({ type: 'event-file', path: file, format: name }, ctx());
    for (const part of splitEvents(input, [1000, 2000])) await sink.write({ kind: 'events', events: part });
    await sink.close();
    const { events } = await readAllEvents(join(outDir, file), { format: name, width: 320, height: 240 });
    expect(events.length).toBe(3000);
    expect(events.t).toEqual(input.t);
    expect(events.x).toEqual(input.x);
    expect(events.y).toEqual(input.y);
    expect(events.p).toEqual(input.p);
  });

  it('picks the format from the extension, and rejects unknown or unwritable formats with the key path', async () => {
    await expect(createSink({ type: 'event-file', path: 'x.unknown' }, ctx('sinks[4]'))).rejects.toThrow(/^sinks\[4\]\.path: "x\.unknown" is not allowed \(a file name ending in a writable format's extension/);
    await expect(createSink({ type: 'event-file', path: 'x.raw', format: 'jpeg' }, ctx('sinks[4]'))).rejects.toThrow(/^sinks\[4\]\.format: "jpeg" is not allowed \(a writable format: /);
    await expect(createSink({ type: 'event-file', path: 'x.es', extra: 1 }, ctx('sinks[4]'))).rejects.toThrow(/sinks\[4\]\.extra/);
  });
});
