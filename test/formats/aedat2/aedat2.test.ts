import { describe, expect, it } from 'vitest';
import { ConfigError, DecodeError } from '../../../src/errors.ts';
import { makeBatch, type EventBatch } from '../../../src/events/eventBatch.ts';
import { Aedat2Decoder, type Aedat2DecoderOptions } from '../../../src/formats/aedat2/decoder.ts';
import { Aedat2Encoder, type Aedat2EncoderOptions } from '../../../src/formats/aedat2/encoder.ts';
import { format } from '../../../src/formats/aedat2/index.ts';
import { detectFormat } from '../../../src/formats/registry.ts';
import { readAllEvents } from '../../../src/sources/readAllEvents.ts';
import { fieldDigests } from '../../helpers/digests.ts';
import { bundled } from '../../helpers/shared.ts';
import { decodeInChunks, mutate, sameEvents, seededRandom } from '../aedat-common/decodeChunks.ts';

const HEADER_ONLY = bundled('aedat2/tonic_sample_aedat_header_HEADER_ONLY.aedat');

function randomEvents(n: number, width: number, height: number, seed: number, t0 = 0): EventBatch {
  const random = seededRandom(seed);
  const t = new Float64Array(n);
  const x = new Uint16Array(n);
  const y = new Uint16Array(n);
  const p = new Uint8Array(n);
  let time = t0;
  for (let i = 0; i < n; i++) {
    time += Math.floor(random() * 40);
    t[i] = time;
    x[i] = Math.floor(random() * width);
    y[i] = Math.floor(random() * height);
    p[i] = random() < 0.5 ? 1 : 0;
  }
  return makeBatch({ width, height }, t, x, y, p);
}

function encodeAll(events: EventBatch, options: Partial<Aedat2EncoderOptions> = {}): Uint8Array {
  const encoder = new Aedat2Encoder({ width: events.width, height: events.height, creationTimeMs: 1700000000000, ...options });
  return Buffer.concat([encoder.header(), encoder.encode(events), encoder.end()]);
}

const ascii = (s: string) => new TextEncoder().encode(s);
/** A minimal header plus big-endian records [address, timestamp]. */
function handBuilt(header: string, records: Array<[number, number]>, recordSize = 8): Uint8Array {
  const head = ascii(header);
  const out = new Uint8Array(head.length + records.length * recordSize);
  out.set(head);
  const view = new DataView(out.buffer);
  records.forEach(([a, ts], i) => {
    const at = head.length + i * recordSize;
    if (recordSize === 8) view.setUint32(at, a);
    else view.setUint16(at, a);
    view.setUint32(at + recordSize - 4, ts);
  });
  return out;
}
const DAVIS346 = '#!AER-DAT2.0\r\n# AEChip: eu.seebetter.ini.chips.davis.Davis346B\r\n';
const decoder = (options: Partial<Aedat2DecoderOptions> = {}) => () => new Aedat2Decoder({ file: 'x.aedat', ...options });

describe('AEDAT 2.0 decoder', () => {
  it('reads the header-only tonic sample: 0 events, data version 2, start time, DAVIS346 geometry', async () => {
    const { events, format: name, stats } = await readAllEvents(HEADER_ONLY);
    expect(name).toBe('aedat2');
    expect(events.length).toBe(0);
    expect(stats.header.dataVersion).toBe('2');
    expect(stats.header.startTimestampMs).toBe('1695355587880');
    expect(stats.header.AEChip).toBe('eu.seebetter.ini.chips.davis.Davis346red');
    expect([events.width, events.height]).toEqual([346, 260]);
  });

  it('decodes DAVIS addresses with jAER x mirroring, and skips and counts APS, IMU and external events', () => {
    const dvs = (x: number, y: number, p: number) => ((y << 22) | (x << 12) | (p << 11)) >>> 0;
    const bytes = handBuilt(DAVIS346, [
      [dvs(0, 5, 1), 100], // raw x 0 -> x 345
      [0x80000000 | (3 << 10), 101], // IMU sample
      [0x80000000 | (5 << 12), 102], // APS pixel
      [1 << 10, 103], // external input
      [dvs(345, 259, 0), 104], // raw x 345 -> x 0
    ]);
    const d = new Aedat2Decoder({ file: 'hand.aedat' });
    const events = decodeInChunks(() => d, bytes, 7);
    expect(Array.from(events.x)).toEqual([345, 0]);
    expect(Array.from(events.y)).toEqual([5, 259]);
    expect(Array.from(events.p)).toEqual([1, 0]);
    expect(Array.from(events.t)).toEqual([100, 104]);
    expect(d.stats.skipped).toEqual({ aps: 1, imu: 1, external: 1 });
  });

  it('decodes DVS128 addresses (layout from the AEChip line) and AEDAT 1.0 6-byte records', () => {
    const header = '#!AER-DAT2.0\r\n# AEChip: ch.unizh.ini.jaer.chip.retina.DVS128\r\n';
    const events = decodeInChunks(decoder(), handBuilt(header, [[(7 << 8) | (0 << 1) | 0, 5], [(127 << 8) | (127 << 1) | 1, 6], [0x8000, 7]]), 3);
    expect([events.width, events.height]).toEqual([128, 128]);
    expect(Array.from(events.x)).toEqual([127, 0]);
    expect(Array.from(events.y)).toEqual([7, 127]);
    expect(Array.from(events.p)).toEqual([1, 0]);
    const v1 = handBuilt('#!AER-DAT1.0\r\n', [[(3 << 8) | (10 << 1), 9]], 6);
    const old = decodeInChunks(decoder({ layout: 'dvs128' }), v1, 1);
    expect([old.length, old.x[0], old.y[0], old.t[0]]).toEqual([1, 117, 3, 9]);
  });

  it('unwraps the 32-bit time stamp and refuses other steps back', () => {
    const dvs = (1 << 22) >>> 0;
    const wrapped = decodeInChunks(decoder(), handBuilt(DAVIS346, [[dvs, 0xfffffff0], [dvs, 0x10]]), 5);
    expect(Array.from(wrapped.t)).toEqual([0xfffffff0, 2 ** 32 + 0x10]);
    expect(() => decodeInChunks(decoder(), handBuilt(DAVIS346, [[dvs, 500], [dvs, 499]]), 64)).toThrow(/time stamp 499 goes back from 500/);
  });

  it('round trips random DAVIS346 and DVS128 events, identical for chunk sizes 1..64 and large', () => {
    for (const [events, layout] of [
      [randomEvents(3000, 346, 260, 1), 'davis'],
      [randomEvents(3000, 128, 128, 2, 2 ** 32 - 50_000), 'dvs128'],
    ] as const) {
      const bytes = encodeAll(events, { layout });
      for (let size = 1; size <= 64; size++) {
        expect(sameEvents(decodeInChunks(decoder(), bytes, size), events), `${layout} chunk ${size}`).toBe(true);
      }
      expect(fieldDigests(decodeInChunks(decoder(), bytes, 1 << 20))).toEqual(fieldDigests(events));
    }
  });

  it('sniffs by magic and is the writer for .aedat', () => {
    expect(detectFormat(encodeAll(randomEvents(5, 10, 10, 3)), 'x.bin')?.name).toBe('aedat2');
    expect(format.sniff(ascii('#!AER-DAT3.1\r\n'), 'x.aedat')).toBe('no');
  });

  it('truncation and garbage give DecodeError with file and offset, after the events before the damage', () => {
    const bytes = encodeAll(randomEvents(100, 346, 260, 4));
    const headerLength = bytes.length - 800;
    const d = new Aedat2Decoder({ file: 'cut.aedat' });
    const got = d.push(bytes.subarray(0, headerLength + 8 * 40 + 3));
    expect(got.length).toBe(40);
    expect(() => d.end()).toThrow(new DecodeError('cut.aedat', headerLength + 320, 'file ends inside a 8-byte event (truncated)'));
    expect(() => decoder()().push(ascii('#!AER-DAT4.0\r\n'))).not.toThrow();
    expect(() => decodeInChunks(decoder(), ascii('#!AER-DAT4.0\r\n'), 64)).toThrow(/not an AEDAT 1.0\/2.0 file/);
    expect(() => decoder()().push(ascii('%evt 2.0'))).toThrow(/at byte 0: not an AEDAT file/);
    expect(() => decodeInChunks(decoder(), ascii('#!AER-DAT2.0\r\n# AEChip: Foo\r\n'), 64)).toThrow(/names no known camera/);
  });

  it('damage in the middle of one chunk: the events before it come first, then the DecodeError', () => {
    const events = randomEvents(100, 346, 260, 6);
    const bytes = encodeAll(events);
    const at = bytes.length - 800 + 8 * 50;
    bytes.set([0x00, 0x3f, 0xf0, 0x00], at); // raw x 1023: outside 346 columns
    const d = new Aedat2Decoder({ file: 'bad.aedat' });
    const got = d.push(bytes);
    expect(got.length).toBe(50);
    expect(Array.from(got.t)).toEqual(Array.from(events.t.subarray(0, 50)));
    expect(() => d.push(new Uint8Array(1))).toThrow(`bad.aedat: at byte ${at}: address 0x3ff000 gives x=-678, y=0 outside 346x260`);
  });

  it('fuzz: 10,000 mutated files give events or a DecodeError only', () => {
    const bytes = encodeAll(randomEvents(200, 346, 260, 5));
    const random = seededRandom(99);
    let errors = 0;
    for (let i = 0; i < 10_000; i++) {
      try {
        decodeInChunks(decoder(), mutate(bytes, random), 1 + Math.floor(random() * 600));
      } catch (error) {
        if (!(error instanceof DecodeError)) throw error;
        errors++;
      }
    }
    expect(errors).toBeGreaterThan(2000);
  });
});

describe('AEDAT 2.0 encoder', () => {
  it('rejects what AEDAT 2.0 cannot hold, stating value and range', () => {
    const geo = { width: 346, height: 260 };
    const one = (t: number, x: number, y: number) => makeBatch(geo, Float64Array.of(t), Uint16Array.of(x), Uint16Array.of(y), Uint8Array.of(1));
    expect(() => new Aedat2Encoder(geo).encode(one(0, 346, 0))).toThrow(/x: 346 is not allowed \(x < width=346\)/);
    expect(() => new Aedat2Encoder(geo).encode(one(0, 0, 260))).toThrow(/y: 260 is not allowed \(y < height=260\)/);
    expect(() => new Aedat2Encoder(geo).encode(one(2 ** 32, 0, 0))).toThrow(/first time stamp in 0..4294967295/);
    const e = new Aedat2Encoder(geo);
    e.encode(one(10, 0, 0));
    expect(() => e.encode(one(9, 0, 0))).toThrow(ConfigError);
    expect(() => e.encode(one(10 + 2 ** 31, 0, 0))).toThrow(/a step below 2\^31/);
    expect(() => new Aedat2Encoder({ width: 200, height: 128, layout: 'dvs128' })).toThrow(/at most 128x128/);
    expect(() => new Aedat2Encoder({ width: 2000, height: 128 })).toThrow(/at most 1024x512/);
  });
});
