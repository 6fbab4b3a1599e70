import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, DecodeError } from '../../../src/errors.ts';
import { makeBatch, type EventBatch } from '../../../src/events/eventBatch.ts';
import { Aedat3Decoder } from '../../../src/formats/aedat3/decoder.ts';
import { Aedat3Encoder } from '../../../src/formats/aedat3/encoder.ts';
import { decodeLibcaerArray } from '../../../src/formats/aedat3/libcaerArray.ts';
import { Aedat4Decoder } from '../../../src/formats/aedat4/decoder.ts';
import { detectFormat } from '../../../src/formats/registry.ts';
import { fieldDigests } from '../../helpers/digests.ts';
import { bundled, hasShared, NO_SHARED, sharedFile } from '../../helpers/shared.ts';
import { decodeInChunks, mutate, sameEvents, seededRandom } from '../aedat-common/decodeChunks.ts';
import { wrapPayloadAsAedat31 } from './wrapPayload.ts';

const decoder = (file = 'x.aedat') => () => new Aedat3Decoder({ file });
const SUBSET = bundled('libcaer/DERIVED_libcaer_rollover_packets95-104_payload.bin');
const SUBSET_TSV = bundled('libcaer/DERIVED_libcaer_rollover_packets95-104.tsv');
const subsetFile = wrapPayloadAsAedat31(new Uint8Array(readFileSync(SUBSET)), SUBSET_TSV);
const subset = decodeInChunks(decoder(), subsetFile, 1 << 20);

function sums(e: EventBatch): [number, number, number] {
  let x = 0;
  let y = 0;
  let p = 0;
  for (let i = 0; i < e.length; i++) {
    x += e.x[i]!;
    y += e.y[i]!;
    p += e.p[i]!;
  }
  return [x, y, p];
}

function encodeAll(events: EventBatch, eventsPerPacket?: number): Uint8Array {
  const encoder = new Aedat3Encoder({ width: events.width, height: events.height, eventsPerPacket });
  return new Uint8Array(Buffer.concat([encoder.header(), encoder.encode(events), encoder.end()]));
}

describe.skipIf(!hasShared)('AEDAT 3.1 built from the full libcaer payload (../shared)', () => {
  // Read in beforeAll: a skipped describe still runs its body to collect tests, and ../shared may be absent.
  let payload: Uint8Array;
  beforeAll(() => {
    payload = new Uint8Array(readFileSync(sharedFile('recordings/libcaer/DERIVED_event_camera_codecs_libcaer_rollover_payload.bin')));
  });
  const tsv = sharedFile('recordings/libcaer/DERIVED_event_camera_codecs_libcaer_rollover_packets.tsv');

  it("reproduces the publisher's sums of x, y and p and the event count", () => {
    const events = decodeInChunks(decoder(), wrapPayloadAsAedat31(payload, tsv), 1 << 20);
    expect(events.length).toBe(334331);
    expect(sums(events)).toEqual([111651612, 82801007, 181908]);
    expect([events.width, events.height]).toEqual([640, 480]);
    expect(events.t[0]).toBe(2146490012);
    expect(events.t[165932]).toBe(2147483644);
    expect(events.t[165933]).toBe(2 ** 31 + 5);
    expect(events.t[events.length - 1]).toBe(2 ** 31 + 1006350);
  });

  it("libcaer array reader reproduces the publisher's nanosecond time sum (per-message time_base)", () => {
    const rows = readFileSync(tsv, 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
    let sumT = 0n;
    let count = 0;
    for (const [, offset, length, base] of rows) {
      const events = decodeLibcaerArray(payload.subarray(Number(offset), Number(offset) + Number(length)), { width: 640, height: 480 });
      for (let i = 0; i < events.length; i++) sumT += BigInt(base!) + BigInt(events.t[i]!) * 1000n;
      count += events.length;
    }
    expect(count).toBe(334331);
    expect(BigInt.asUintN(64, sumT)).toBe(15762826572202229126n);
  });
});
describe.skipIf(hasShared)('AEDAT 3.1 full libcaer payload', () => {
  it.skip(NO_SHARED, () => undefined);
});

describe('AEDAT 3.1 decoder on the bundled libcaer subset', () => {
  it('reproduces the subset facts across the 31-bit wrap', () => {
    expect(subset.length).toBe(14783);
    expect(sums(subset)).toEqual([4943022, 3646134, 8268]);
    expect([subset.t[0], subset.x[0], subset.y[0], subset.p[0]]).toEqual([2147440005, 436, 256, 1]);
    const n = subset.length - 1;
    expect([subset.t[n], subset.x[n], subset.y[n], subset.p[n]]).toEqual([2 ** 31 + 46350, 361, 199, 1]);
    expect(detectFormat(subsetFile.subarray(0, 4096), 'x.aedat')?.name).toBe('aedat3');
  });

  it('the libcaer array reader agrees with the AEDAT 3.1 path', () => {
    const raw = decodeLibcaerArray(new Uint8Array(readFileSync(SUBSET)), { width: 640, height: 480 });
    expect(sameEvents(raw, subset)).toBe(true);
  });

  it('gives identical events for every chunk size 1..64 (on a 20 KB prefix) and for large chunks', () => {
    const prefix = subsetFile.subarray(0, 20_000);
    const reference = decodeInChunks(decoder(), prefix, prefix.length, false);
    expect(reference.length).toBeGreaterThan(2000);
    for (let size = 1; size <= 64; size++) {
      expect(sameEvents(decodeInChunks(decoder(), prefix, size, false), reference), `chunk ${size}`).toBe(true);
    }
    for (const size of [999, 4096, 65536]) {
      expect(sameEvents(decodeInChunks(decoder(), subsetFile, size), subset), `chunk ${size}`).toBe(true);
    }
  });

  it('skips and counts other packet types, unused capacity and invalid events', () => {
    const head = new TextEncoder().encode('#!AER-DAT3.1\r\n#Source 1: DAVIS346\r\n#!END-HEADER\r\n');
    const packet = (type: number, size: number, capacity: number, number: number, body: number[]) => {
      const h = new DataView(new ArrayBuffer(28 + capacity * size));
      [type, 1].forEach((v, i) => h.setInt16(i * 2, v, true));
      [size, 4, 0, capacity, number, number].forEach((v, i) => h.setInt32(4 + i * 4, v, true));
      body.forEach((v, i) => h.setUint32(28 + i * 4, v >>> 0, true));
      return new Uint8Array(h.buffer);
    };
    const pol = (x: number, y: number, p: number, valid = 1) => (x << 17) | (y << 2) | (p << 1) | valid;
    const bytes = Buffer.concat([
      head,
      packet(0, 8, 2, 2, []), // special events
      packet(3, 36, 1, 1, []), // imu6
      packet(1, 8, 4, 3, [pol(3, 4, 1), 10, pol(5, 6, 0, 0), 11, pol(345, 259, 0), 12, pol(9, 9, 1), 13]), // slot 4 unused
    ]);
    const d = new Aedat3Decoder({ file: 'hand.aedat' });
    const events = decodeInChunks(() => d, bytes, 5);
    expect(Array.from(events.x)).toEqual([3, 345]);
    expect(Array.from(events.t)).toEqual([10, 12]);
    expect(d.stats.skipped).toEqual({ special: 2, imu6: 1, 'invalid polarity': 1 });
  });

  it('truncation, bad headers and garbage give DecodeError with file and offset, events first', () => {
    const headerLength = Buffer.from(subsetFile).indexOf('#!END-HEADER\r\n') + 14;
    const d = new Aedat3Decoder({ file: 'cut.aedat' });
    const got = d.push(subsetFile.subarray(0, headerLength + 28 + 8 * 50 + 5));
    expect(got.length).toBe(50);
    expect(() => d.end()).toThrow(new DecodeError('cut.aedat', headerLength + 28 + 400, `file ends inside the packet that starts at byte ${headerLength} (truncated)`));
    const bad = subsetFile.slice();
    new DataView(bad.buffer).setInt32(headerLength + 4, 0, true);
    expect(() => decodeInChunks(decoder('bad.aedat'), bad, 1 << 16)).toThrow(`bad.aedat: at byte ${headerLength}: bad AEDAT 3 packet header: event size 0`);
    expect(() => decoder()().push(new TextEncoder().encode('#!AER-DAT2.0\r\n'))).toThrow(/at byte 9: not an AEDAT 3 file/);
    expect(() => decodeInChunks(decoder(), new TextEncoder().encode('#!AER-DAT3.1\r\n#Format: RAW\r\n'), 8)).toThrow(/no #!END-HEADER/);
  });

  it('damage in the middle of one chunk: the events before it come first, then the DecodeError', () => {
    const headerLength = Buffer.from(subsetFile).indexOf('#!END-HEADER\r\n') + 14;
    const bad = subsetFile.slice();
    const at = headerLength + 28 + 8 * 50;
    new DataView(bad.buffer).setUint32(at, (700 << 17) | 1, true); // x = 700 on a 640-wide sensor
    const d = new Aedat3Decoder({ file: 'bad.aedat' });
    const got = d.push(bad);
    expect(got.length).toBe(50);
    expect(sameEvents(got, makeBatch(subset, subset.t.slice(0, 50), subset.x.slice(0, 50), subset.y.slice(0, 50), subset.p.slice(0, 50)))).toBe(true);
    expect(() => d.end()).toThrow(`bad.aedat: at byte ${at}: polarity event at x=700, y=0 outside 640x480`);
  });

  it('fuzz: 10,000 mutated files give events or a DecodeError only', () => {
    const small = encodeAll(makeBatch(subset, subset.t.slice(0, 300), subset.x.slice(0, 300), subset.y.slice(0, 300), subset.p.slice(0, 300)), 64);
    const random = seededRandom(31);
    let errors = 0;
    for (let i = 0; i < 10_000; i++) {
      try {
        decodeInChunks(decoder(), mutate(small, random), 1 + Math.floor(random() * 1000));
      } catch (error) {
        if (!(error instanceof DecodeError)) throw error;
        errors++;
      }
    }
    expect(errors).toBeGreaterThan(2000);
  });
});

describe('AEDAT 3.1 encoder', () => {
  it('round trips the subset (across the wrap) and the real AEDAT 4 recording (64-bit times) exactly', () => {
    expect(fieldDigests(decodeInChunks(decoder(), encodeAll(subset, 1000), 4096))).toEqual(fieldDigests(subset));
    const aedat4 = decodeInChunks(() => new Aedat4Decoder({ file: 'a4' }), new Uint8Array(readFileSync(bundled('aedat4/tonic_sample.aedat4'))), 1 << 20);
    const back = decodeInChunks(decoder(), encodeAll(aedat4), 1 << 20);
    expect(fieldDigests(back)).toEqual(fieldDigests(aedat4));
    expect([back.width, back.height]).toEqual([320, 240]);
  });

  it('rejects what AEDAT 3.1 cannot hold, stating value and range', () => {
    const geo = { width: 640, height: 480 };
    const one = (t: number, x: number, y: number) => makeBatch(geo, Float64Array.of(t), Uint16Array.of(x), Uint16Array.of(y), Uint8Array.of(1));
    expect(() => new Aedat3Encoder(geo).encode(one(0, 640, 0))).toThrow(/x: 640 is not allowed \(x < width=640\)/);
    expect(() => new Aedat3Encoder(geo).encode(one(0, 0, 480))).toThrow(/y: 480 is not allowed/);
    expect(() => new Aedat3Encoder(geo).encode(one(-1, 0, 0))).toThrow(ConfigError);
    const e = new Aedat3Encoder(geo);
    e.encode(one(10, 0, 0));
    expect(() => e.encode(one(9, 0, 0))).toThrow(/non-decreasing/);
    expect(() => new Aedat3Encoder({ width: 40000, height: 10 })).toThrow(/at most 32768x32768/);
  });
});
