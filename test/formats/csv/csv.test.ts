import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, DecodeError } from '../../../src/errors.ts';
import { makeBatch } from '../../../src/events/eventBatch.ts';
import { format } from '../../../src/formats/csv/index.ts';
import { format as nmnist } from '../../../src/formats/nmnist/index.ts';
import { fieldDigests } from '../../helpers/digests.ts';
import { bundled } from '../../helpers/shared.ts';
import { decodeBytes, encodeBatches, fuzz, summary } from '../nmnist/codecHarness.ts';

const text = (s: string) => new TextEncoder().encode(s);

describe('CSV/TXT decoding', () => {
  it('ECD-style txt: seconds with 9 decimals, space separated, rounded to the nearest µs', () => {
    const src = '# 240 180\n0.000000000 33 39 1\n0.000011500 158 145 1\n0.0000125 1 2 0\n1.999999 3 4 0\n';
    const { events, stats } = decodeBytes(format, text(src), 3);
    expect(Array.from(events.t)).toEqual([0, 12, 13, 1_999_999]); // 11.5 µs → 12, 12.5 µs → 13 (half away from zero)
    expect([events.width, events.height]).toEqual([240, 180]);
    expect(stats.header.timeUnit).toBe('s');
  });
  it('a header names the columns in any order and the unit; commas, tabs, CRLF, -1/1 polarity', () => {
    const src = 'x,y,polarity,timestamp_us\r\n1,2,1,5\r\n3,4,-1,7\r\n';
    const { events, stats } = decodeBytes(format, text(src), 2, { width: 10, height: 10 });
    expect(summary(events)).toEqual({ events: 2, first: [5, 1, 2, 1], last: [7, 3, 4, 0], on: 1, off: 1, width: 10, height: 10 });
    expect(stats.header.timeUnit).toBe('us');
    const secondsHeader = decodeBytes(format, text('t[s]\tx\ty\tp\n1\t1\t1\t1\n2\t1\t1\t0\n'), 5, { width: 4, height: 4 });
    expect(Array.from(secondsHeader.events.t)).toEqual([1_000_000, 2_000_000]);
  });
  it('the time unit can be forced', () => {
    const { events } = decodeBytes(format, text('5 1 1 1\n6 1 1 0\n'), 4, { width: 2, height: 2, timeUnit: 's' });
    expect(Array.from(events.t)).toEqual([5_000_000, 6_000_000]);
  });
  it('without geometry: max + 1, with a warning in stats', () => {
    const { events, stats } = decodeBytes(format, text('1 7 3 1\n2 9 1 0\n'), 1);
    expect([events.width, events.height]).toEqual([10, 4]);
    expect(stats.header.warning).toMatch(/geometry 10x4 inferred/);
  });
});

describe('CSV round trip of a real recording', () => {
  const source = decodeBytes(nmnist, new Uint8Array(readFileSync(bundled('nmnist/tonic_sample_nmnist.bin'))), 1 << 16).events;
  const csv = encodeBatches(format, [source], { width: 34, height: 34 });
  it('writes "# W H", the header t,x,y,p and µs lines', () => {
    // The first event is the manifest's (654 µs, x 7, y 15, ON).
    expect(new TextDecoder().decode(csv.subarray(0, 27))).toBe('# 34 34\nt,x,y,p\n654,7,15,1\n');
  });
  it('decodes back identically for every chunk size 1..64 and large', () => {
    const reference = fieldDigests(source);
    for (const chunk of [...Array.from({ length: 64 }, (_, i) => i + 1), 65536]) {
      const { events } = decodeBytes(format, csv, chunk);
      expect(fieldDigests(events), `chunk ${chunk}`).toEqual(reference);
      expect([events.width, events.height]).toEqual([34, 34]);
    }
  });
  it('encoder validation', () => {
    const bad = makeBatch({ width: 34, height: 34 }, Float64Array.of(3, 2), Uint16Array.of(1, 1), Uint16Array.of(1, 1), Uint8Array.of(1, 1));
    expect(() => encodeBatches(format, [bad], { width: 34, height: 34 })).toThrow(ConfigError);
    expect(() => encodeBatches(format, [bad], { width: 34, height: 34 })).toThrow(/t: 2 .*must not decrease \(previous event t=3\)/);
    const far = makeBatch({ width: 34, height: 34 }, Float64Array.of(3), Uint16Array.of(1), Uint16Array.of(34), Uint8Array.of(1));
    expect(() => encodeBatches(format, [far], { width: 34, height: 34 })).toThrow(/y: 34 .*height=34/);
  });
});

describe('CSV bad input', () => {
  it('DecodeErrors name the line and byte offset; the lines before are delivered first', () => {
    const src = text('# 10 10\n1 1 1 1\n2 1 1 1\n3 x 1 1\n');
    const decoder = format.createDecoder!({ file: 'e.txt' });
    expect(decoder.push(src).length).toBe(2);
    expect(() => decoder.end()).toThrow(/e.txt: at byte 24: line 4: x=x is not an integer in 0..9/);
    expect(() => decodeBytes(format, text('1 1 1 1\n0 1 1 1\n'), 3)).toThrow(/at byte 8: line 2: t=0 µs is earlier/);
    expect(() => decodeBytes(format, text('1 1 1 2\n'), 3)).toThrow(/p=2 is not 0, 1 or -1/);
    expect(() => decodeBytes(format, text('1 1 1\n'), 3)).toThrow(DecodeError);
    expect(() => decodeBytes(format, text('5 1 1 1\n5.5 1 1 1\n'), 3)).toThrow(/t=5.5 is not an integer number of µs/);
    expect(() => decodeBytes(format, text('a,b,c,d\n1,1,1,1\n'), 3)).toThrow(/names no column for t, x, y, p/);
  });
  it('fuzz: 10,000 seeded mutations give contract-keeping events or a DecodeError', () => {
    const seed = text('# 40 40\nt,x,y,p\n1,2,3,1\n5,6,7,0\n9,10,11,1\n0.5 1 1 1\n12,13,14,0\n');
    const { failures, rejected } = fuzz(format, seed, 10_000, 3);
    expect(failures).toEqual([]);
    expect(rejected).toBeGreaterThan(1000);
  });
  it('sniffs text with four numeric fields, or by extension', () => {
    expect(format.sniff(text('0.1 1 2 1\n'), 'events')).toBe('maybe');
    expect(format.sniff(text('hello'), 'x.csv')).toBe('maybe');
    expect(format.sniff(Uint8Array.of(0, 1, 2), 'x.bin')).toBe('no');
  });
});
