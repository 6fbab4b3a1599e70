import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, DecodeError } from '../../../src/errors.ts';
import { makeBatch, type EventBatch } from '../../../src/events/eventBatch.ts';
import { format } from '../../../src/formats/es/index.ts';
import { format as npy } from '../../../src/formats/npy/index.ts';
import { readAllEvents } from '../../../src/sources/readAllEvents.ts';
import { fieldDigests } from '../../helpers/digests.ts';
import { bundled, hasShared, NO_SHARED, sharedFile } from '../../helpers/shared.ts';
import { decodeBytes, encodeBatches, firstDifference, fuzz, summary } from '../nmnist/codecHarness.ts';

const LORIS = bundled('es/loris_test_TRANSCODED_from_NCARS_obj_004397.es');
const GENERIC = bundled('es/SYNTHETIC_event_stream_examples_generic.es');
const NCARS_NPY = bundled('npy/expelliarmus_NCARS_obj_004397_td_ref.npy');

describe('Event Stream: the loris NCARS transcode', () => {
  const bytes = new Uint8Array(readFileSync(LORIS));
  it('4407 events, header 54×239, equal to the NCARS reference decode with y_es = 239 − y_dat', async () => {
    const { events, format: detected, stats } = await readAllEvents(LORIS);
    expect(detected).toBe('es');
    expect(stats.header).toMatchObject({ version: '2.0.0', type: 'dvs', width: '54', height: '239' });
    expect(summary(events)).toEqual({ events: 4407, first: [0, 6, 221, 1], last: [99937, 48, 192, 1], on: 1671, off: 2736, width: 54, height: 239 });
    // The NCARS reference NPY equals the DAT decode field by field (manifest), so it stands in for the DAT here.
    const reference = decodeBytes(npy, new Uint8Array(readFileSync(NCARS_NPY)), 1 << 20, { width: 64, height: 64 }).events;
    const flipped: EventBatch = { ...reference, y: reference.y.map((y) => 239 - y) };
    expect(firstDifference(events, flipped)).toBe(-1);
  });
  it('identical for every chunk size 1..64 and large', () => {
    const reference = fieldDigests(decodeBytes(format, bytes, bytes.length).events);
    for (const chunk of [...Array.from({ length: 64 }, (_, i) => i + 1), 4096, 1 << 20]) {
      expect(fieldDigests(decodeBytes(format, bytes, chunk).events), `chunk ${chunk}`).toEqual(reference);
    }
  });
  it('re-encoding gives the very same bytes', () => {
    const { events } = decodeBytes(format, bytes, 4096);
    expect(Buffer.from(encodeBatches(format, [events], { width: 54, height: 239 })).equals(Buffer.from(bytes))).toBe(true);
  });
});

describe.skipIf(!hasShared)(`Event Stream: the synthetic dvs.es (faery digests, loris count) — ${NO_SHARED}`, () => {
  const path = sharedFile('recordings/es/SYNTHETIC_event_stream_examples_dvs.es');
  it('reproduces faery\'s t, x, y_original and on digests and loris\'s count', async () => {
    const { events } = await readAllEvents(path, { chunkSize: 65537 });
    expect(events.length).toBe(473225);
    expect([events.width, events.height]).toEqual([320, 240]);
    expect(fieldDigests(events)).toEqual({
      t: '6f3f9af2e99d83707fd74fef3486abdd9f2f81680d3c4fcc306b1965',
      x: '976eab4dc499e350481c3f568f71b2713e3ffa944bc1866f31448460',
      y: '6aa82f1dfddd6948a7359816ad62f7fb2c59d00f803e4128868db87b', // y_original: we report the stored y
      on: '6f3c58f949e7c11c55707d11f739d98669882d551403c79482ab81f9',
    });
    // faery's flipped y (height − 1 − y) digest, to show the orientation difference is the only one.
    const flipped = { ...events, y: events.y.map((y) => 239 - y) };
    expect(fieldDigests(flipped).y).toBe('6ccc2ff279b4fb7f87b37d128d84da6771df6b40b624bf3cd4e6622a');
    expect(summary(events)).toMatchObject({ on: 270001, off: 203224 });
    expect(events.t[events.length - 1]).toBe(999000);
  });
  it('chunkings 1..16 of the whole file, and re-encoding gives the very same bytes (loris: same size)', () => {
    const bytes = new Uint8Array(readFileSync(path));
    const whole = decodeBytes(format, bytes, bytes.length).events;
    const reference = fieldDigests(whole);
    for (const chunk of [3, 7, 64, 4099]) expect(fieldDigests(decodeBytes(format, bytes, chunk).events), `chunk ${chunk}`).toEqual(reference);
    expect(Buffer.from(encodeBatches(format, [whole], { width: 320, height: 240 })).equals(Buffer.from(bytes))).toBe(true);
  });
});

describe('Event Stream: other types', () => {
  it('generic: 70 events (loris) parsed, skipped and counted, no pixel events', async () => {
    const { events, stats } = await readAllEvents(GENERIC);
    expect(events.length).toBe(0);
    expect(stats.skipped.generic).toBe(70);
    expect(stats.header.type).toBe('generic');
  });
  it('generic: the timestamps reproduce faery\'s t digest and time range (last t 1207922 µs); payload sizes', () => {
    const times: number[] = [];
    const sizes: number[] = [];
    decodeBytes(format, new Uint8Array(readFileSync(GENERIC)), 13, { onGenericEvent: (t: number, size: number) => (times.push(t), sizes.push(size)) });
    expect(times.length).toBe(70);
    expect(times.at(-1)).toBe(1_207_922);
    expect(sizes[0]).toBe('Lorem'.length);
    expect(sizes.at(-1)).toBe(445); // the full Lorem ipsum paragraph
    const t64 = BigUint64Array.from(times, (t) => BigInt(t));
    expect(createHash('sha3-224').update(new Uint8Array(t64.buffer)).digest('hex')).toBe('4be986c09dccc23887a40a261e8b95ac8c5ab8d0812efd0f78065d78');
  });
  it('ATIS: change detections with polarity; exposure measurements skipped and counted; overflows', () => {
    const header = [...new TextEncoder().encode('Event Stream'), 2, 0, 0, 2, 10, 0, 8, 0];
    // t=3 ON at (1,2); exposure at t=5; overflow ×2 (+126) then t += 4 OFF at (9,7)
    const body = [(3 << 2) | 2, 1, 0, 2, 0, (2 << 2) | 1, 4, 0, 4, 0, 0xfe, (4 << 2) | 0, 9, 0, 7, 0];
    const { events, stats } = decodeBytes(format, Uint8Array.from([...header, ...body]), 1);
    expect(Array.from(events.t)).toEqual([3, 3 + 2 + 126 + 4]);
    expect(Array.from(events.p)).toEqual([1, 0]);
    expect([Array.from(events.x), Array.from(events.y)]).toEqual([[1, 9], [2, 7]]);
    expect(stats.skipped['atis exposure']).toBe(1);
  });
  it('color and AMD streams are rejected with a DecodeError naming the type', () => {
    for (const [type, name] of [[4, 'color'], [3, 'amd'], [9, 'unknown (9)']] as const) {
      const bytes = Uint8Array.from([...new TextEncoder().encode('Event Stream'), 2, 0, 0, type, 10, 0, 8, 0]);
      expect(() => decodeBytes(format, bytes, 5)).toThrow(new RegExp(`at byte 15: Event Stream type "?${name.replace(/[()]/g, '\\$&')}"? is not supported`));
    }
  });
  it('version 1 and a wrong magic are DecodeErrors', () => {
    const v1 = Uint8Array.from([...new TextEncoder().encode('Event Stream'), 1, 0, 0, 1, 10, 0, 8, 0]);
    expect(() => decodeBytes(format, v1, 4)).toThrow(/version 1.0.0 is not supported/);
    expect(() => decodeBytes(format, new TextEncoder().encode('Event Strame 12345678'), 4)).toThrow(/at byte 0: expected the magic/);
  });
});

describe('Event Stream: encoder and bad input', () => {
  const bytes = new Uint8Array(readFileSync(LORIS));
  it('round trip with large gaps (overflow bytes) and late start', () => {
    const batch = makeBatch({ width: 640, height: 480 }, Float64Array.of(1_000_000, 1_000_126, 1_000_127, 9_000_000), Uint16Array.of(639, 0, 300, 1), Uint16Array.of(479, 0, 2, 3), Uint8Array.of(1, 0, 1, 0));
    const out = encodeBatches(format, [batch, makeBatch(batch, Float64Array.of(9_000_000), Uint16Array.of(5), Uint16Array.of(5), Uint8Array.of(1))], { width: 640, height: 480 });
    const { events } = decodeBytes(format, out, 13);
    expect(events.length).toBe(5);
    expect(firstDifference(events.length === 5 ? { ...events, length: 4 } : events, batch)).toBe(-1);
  });
  it('validates: x >= width, decreasing t', () => {
    const one = (t: number[], x: number) => makeBatch({ width: 54, height: 239 }, Float64Array.from(t), Uint16Array.from(t.map(() => x)), Uint16Array.from(t.map(() => 1)), Uint8Array.from(t.map(() => 1)));
    expect(() => encodeBatches(format, [one([1], 54)], { width: 54, height: 239 })).toThrow(ConfigError);
    expect(() => encodeBatches(format, [one([1], 54)], { width: 54, height: 239 })).toThrow(/x: 54 .*width=54/);
    expect(() => encodeBatches(format, [one([5, 4], 1)], { width: 54, height: 239 })).toThrow(/must not decrease/);
  });
  it('truncated at every byte of the first 300: events before are delivered, then a DecodeError at a record start', () => {
    // Record boundaries, walked from the spec: 0xFF/0xFE are one byte, events five.
    const boundaries = new Set<number>();
    for (let o = 20; o <= 300; o += bytes[o]! >= 0xfe ? 1 : 5) boundaries.add(o);
    expect(boundaries.has(116)).toBe(true); // an overflow byte at 115 shifts the records: both paths are covered
    for (let cut = 0; cut < 300; cut++) {
      const decoder = format.createDecoder!({ file: 'cut.es' });
      decoder.push(bytes.subarray(0, cut));
      let error: unknown;
      try {
        decoder.end();
      } catch (e) {
        error = e;
      }
      if (boundaries.has(cut)) expect(error, `cut ${cut}`).toBeUndefined();
      else expect(error, `cut ${cut}`).toBeInstanceOf(DecodeError);
    }
  });
  it('an x beyond the header geometry is a DecodeError with the byte offset', () => {
    const bad = bytes.slice(0, 20 + 5 * 6);
    bad[20 + 5 * 3 + 1] = 200; // event 3's x
    const decoder = format.createDecoder!({ file: 'bad.es' });
    expect(decoder.push(bad).length).toBe(3);
    expect(() => decoder.end()).toThrow(/bad.es: at byte 35: event \(x=200, y=\d+\) is outside the header's 54×239/);
  });
  it('fuzz: 10,000 seeded mutations give contract-keeping events or a DecodeError', () => {
    const { failures, rejected } = fuzz(format, bytes.subarray(0, 400), 10_000, 11);
    expect(failures).toEqual([]);
    expect(rejected).toBeGreaterThan(1000);
  });
  it('sniffs the magic as certain', () => {
    expect(format.sniff(bytes.subarray(0, 64), 'x.bin')).toBe('certain');
    expect(format.sniff(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13), 'x.es')).toBe('no');
  });
});
