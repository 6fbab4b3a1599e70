import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, DecodeError } from '../../../src/errors.ts';
import { makeBatch } from '../../../src/events/eventBatch.ts';
import { format, inferNmnistGeometry } from '../../../src/formats/nmnist/index.ts';
import { readAllEvents } from '../../../src/sources/readAllEvents.ts';
import { fieldDigests } from '../../helpers/digests.ts';
import { bundled } from '../../helpers/shared.ts';
import { decodeBytes, encodeBatches, firstDifference, fuzz, summary } from './codecHarness.ts';

// Facts: ../shared/recordings/MANIFEST.tsv (independent decodes of the tonic and slayerPytorch samples).
const FILES = [
  {
    name: 'nmnist/tonic_sample_nmnist.bin',
    facts: { events: 4325, first: [654, 7, 15, 1], last: [311175, 21, 14, 1], on: 2145, off: 2180, width: 34, height: 34 },
  },
  {
    name: 'nmnist/slayerPytorch_NMNIST_1.bs2',
    facts: { events: 4681, first: [893, 18, 16, 1], last: [305924, 10, 10, 0], on: 2328, off: 2353, width: 34, height: 34 },
  },
];

describe('nmnist decoder on the real samples', () => {
  for (const { name, facts } of FILES) {
    const bytes = new Uint8Array(readFileSync(bundled(name)));
    it(`${name}: counts, first/last, ON/OFF`, async () => {
      const { events, format: detected, stats } = await readAllEvents(bundled(name));
      expect(detected).toBe('nmnist');
      expect(summary(events)).toEqual(facts);
      expect(stats.skipped['overflow markers']).toBe(0);
    });
    it(`${name}: identical for every chunk size 1..64 and large`, () => {
      const reference = fieldDigests(decodeBytes(format, bytes, bytes.length).events);
      for (const chunk of [...Array.from({ length: 64 }, (_, i) => i + 1), 4096, 65536]) {
        expect(fieldDigests(decodeBytes(format, bytes, chunk).events), `chunk ${chunk}`).toEqual(reference);
      }
    });
    it(`${name}: re-encoding gives the very same bytes`, () => {
      const { events } = decodeBytes(format, bytes, 1000);
      expect(Buffer.from(encodeBatches(format, [events], { width: 34, height: 34 })).equals(Buffer.from(bytes))).toBe(true);
    });
  }
});

describe('nmnist overflow markers and limits', () => {
  it('a y=240 record adds 8192 µs to later events and is not an event', () => {
    const bytes = Uint8Array.of(1, 2, 0x80, 0, 5, /* marker */ 0, 240, 0, 0, 0, 3, 4, 0x00, 0, 7);
    const { events, stats } = decodeBytes(format, bytes, 3);
    expect(Array.from(events.t)).toEqual([5, 8192 + 7]);
    expect(Array.from(events.p)).toEqual([1, 0]);
    expect(stats.skipped['overflow markers']).toBe(1);
  });

  it('the encoder writes overflow markers for t beyond 23 bits and the decoder restores t exactly', () => {
    const t = Float64Array.of(0, 8_388_607, 8_388_608, 50_000_000, 50_000_001);
    const batch = makeBatch({ width: 34, height: 34 }, t, Uint16Array.of(1, 2, 3, 4, 5), Uint16Array.of(6, 7, 8, 9, 10), Uint8Array.of(1, 0, 1, 0, 1));
    const bytes = encodeBatches(format, [batch], { width: 34, height: 34 });
    const { events, stats } = decodeBytes(format, bytes, 7);
    expect(firstDifference(events, batch)).toBe(-1);
    expect(stats.skipped['overflow markers']).toBeGreaterThan(0);
    expect((bytes.length / 5) - 5).toBe(stats.skipped['overflow markers']);
  });

  it('says clearly what does not fit', () => {
    const one = (x: number, y: number) => makeBatch({ width: 300, height: 300 }, Float64Array.of(1), Uint16Array.of(x), Uint16Array.of(y), Uint8Array.of(1));
    expect(() => format.createEncoder!({ width: 300, height: 34 })).toThrow(/x in one byte: width <= 256/);
    expect(() => encodeBatches(format, [one(3, 240)], { width: 256, height: 256 })).toThrow(/reserves y=240/);
    expect(() => encodeBatches(format, [one(40, 3)], { width: 34, height: 34 })).toThrow(ConfigError);
    expect(() => encodeBatches(format, [one(40, 3)], { width: 34, height: 34 })).toThrow(/x=40|40 is not allowed.*width=34/);
    const backwards = makeBatch({ width: 34, height: 34 }, Float64Array.of(5, 4), Uint16Array.of(1, 1), Uint16Array.of(1, 1), Uint8Array.of(1, 1));
    expect(() => encodeBatches(format, [backwards], { width: 34, height: 34 })).toThrow(/must not decrease/);
  });

  it('an event outside 34×34 asks for --width/--height; with them it decodes; inferNmnistGeometry finds max+1', async () => {
    const bytes = Uint8Array.of(1, 2, 0x80, 0, 5, 99, 50, 0, 0, 9);
    expect(() => decodeBytes(format, bytes, 5)).toThrow(/x=99, y=50\) is outside 34×34.*--width\/--height/);
    expect(decodeBytes(format, bytes, 5, { width: 100, height: 51 }).events.length).toBe(2);
    expect(await inferNmnistGeometry(bundled('nmnist/tonic_sample_nmnist.bin'))).toEqual({ width: 34, height: 34 });
  });
});

describe('nmnist bad input', () => {
  const bytes = new Uint8Array(readFileSync(bundled('nmnist/tonic_sample_nmnist.bin')));
  it('truncated inside a record: DecodeError at the record start, after the whole records were delivered', () => {
    const decoder = format.createDecoder!({ file: 'cut.bin' });
    const batch = decoder.push(bytes.subarray(0, 5 * 10 + 3));
    expect(batch.length).toBe(10);
    expect(() => decoder.end()).toThrow(DecodeError);
    expect(() => decoder.end()).toThrow(/cut.bin: at byte 50: file ends inside a 5-byte event record/);
  });
  it('time going backwards is a DecodeError naming the byte offset, earlier events delivered first', () => {
    const bad = bytes.slice(0, 50);
    bad.set([1, 1, 0, 0, 0], 25); // event 5 at t=0
    const decoder = format.createDecoder!({ file: 'bad.bin' });
    expect(decoder.push(bad).length).toBe(5);
    expect(() => decoder.end()).toThrow(/at byte 25: timestamp 0 µs is earlier/);
  });
  it('fuzz: 10,000 seeded mutations give events that keep the contract or a DecodeError, never another error', () => {
    const { failures, rejected } = fuzz(format, bytes.subarray(0, 400), 10_000, 7);
    expect(failures).toEqual([]);
    expect(rejected).toBeGreaterThan(1000);
  });
  it('sniffs "maybe" by extension only', () => {
    expect(format.sniff(bytes.subarray(0, 64), 'a.bin')).toBe('maybe');
    expect(format.sniff(bytes.subarray(0, 64), 'a.BS2')).toBe('maybe');
    expect(format.sniff(bytes.subarray(0, 64), 'a.dat')).toBe('no');
  });
});
