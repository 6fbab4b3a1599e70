import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../src/errors.ts';
import { makeBatch, type EventBatch } from '../../../src/events/eventBatch.ts';
import { format } from '../../../src/formats/npy/index.ts';
import { readAllEvents } from '../../../src/sources/readAllEvents.ts';
import { fieldDigests } from '../../helpers/digests.ts';
import { bundled, hasShared, NO_SHARED, sharedFile } from '../../helpers/shared.ts';
import { decodeBytes, firstDifference, fuzz, summary } from '../nmnist/codecHarness.ts';

const NCARS = bundled('npy/expelliarmus_NCARS_obj_004397_td_ref.npy');
const PEDESTRIANS = bundled('npy/expelliarmus_evt3_pedestrians_5000ev_ref.npy');

/** An .npy file with the given header version, descr literal and records written by `write`. */
function npyBytes(version: 1 | 2 | 3, descr: string, count: number, itemSize: number, write: (v: DataView, i: number, o: number) => void): Uint8Array {
  const prefix = version === 1 ? 10 : 12;
  let text = `{'descr': ${descr}, 'fortran_order': False, 'shape': (${count},), }`;
  text = text.padEnd(Math.ceil((prefix + text.length + 1) / 64) * 64 - prefix - 1, ' ') + '\n';
  const header = new TextEncoder().encode(text);
  const out = new Uint8Array(prefix + header.length + count * itemSize);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  out.set(header, prefix);
  for (let i = 0; i < count; i++) write(view, i, prefix + header.length + i * itemSize);
  return out;
}

const SAMPLE: EventBatch = makeBatch(
  { width: 1280, height: 720 },
  Float64Array.of(0, 5, 5, 70_000, 2 ** 40),
  Uint16Array.of(0, 1279, 3, 4, 640),
  Uint16Array.of(719, 0, 2, 3, 360),
  Uint8Array.of(1, 0, 1, 0, 1),
);

describe('NPY: the expelliarmus reference arrays', () => {
  it('NCARS: 4407 rows equal to the DAT facts (t 0..99937, ON/OFF), every chunk size 1..64', async () => {
    const { events, format: detected, stats } = await readAllEvents(NCARS, { width: 64, height: 64 });
    expect(detected).toBe('npy');
    expect(stats.header.descr).toBe('t:i8@0,x:i2@8,y:i2@10,p:u1@12');
    expect(summary(events)).toEqual({ events: 4407, first: [0, 6, 18, 1], last: [99937, 48, 47, 1], on: 1671, off: 2736, width: 64, height: 64 });
    const bytes = new Uint8Array(readFileSync(NCARS));
    const reference = fieldDigests(events);
    for (const chunk of [...Array.from({ length: 64 }, (_, i) => i + 1), 8192, 1 << 20]) {
      expect(fieldDigests(decodeBytes(format, bytes, chunk, { width: 64, height: 64 }).events), `chunk ${chunk}`).toEqual(reference);
    }
  });
  it('pedestrians: the npy\'s own t values (expelliarmus semantics, not OpenEB), x/y/p as the manifest states', async () => {
    const { events, stats } = await readAllEvents(PEDESTRIANS);
    // No geometry in NPY: max + 1, with a warning.
    expect(stats.header.warning).toMatch(/inferred from the largest x and y/);
    expect(summary(events)).toEqual({ events: 5000, first: [5840504, 707, 297, 0], last: [5930770, 598, 260, 0], on: 2894, off: 2106, width: 1280, height: 699 });
  });
});

describe.skipIf(!hasShared)(`NPY: aligned dtype with a padding field — ${NO_SHARED}`, () => {
  it('evt3 sample ref (itemsize 16, V3 padding): 219596 rows, x/y/p as expelliarmus', async () => {
    const { events, stats } = await readAllEvents(sharedFile('recordings/npy/expelliarmus_evt3_sample_ref.npy'), { width: 1280, height: 720 });
    expect(stats.header.itemSize).toBe('16');
    expect(summary(events)).toEqual({ events: 219596, first: [11718656, 874, 200, 0], last: [11772513, 1218, 572, 1], on: 115532, off: 104064, width: 1280, height: 720 });
  });
});

describe('NPY: layouts', () => {
  it('any field order, aliases, widths, big endian, header versions 1/2/3', () => {
    const variants: [1 | 2 | 3, string, number, (v: DataView, i: number, o: number) => void][] = [
      [1, "[('p', '|u1'), ('y', '<u2'), ('x', '<u4'), ('t', '<u8')]", 15, (v, i, o) => {
        v.setUint8(o, SAMPLE.p[i]!); v.setUint16(o + 1, SAMPLE.y[i]!, true); v.setUint32(o + 3, SAMPLE.x[i]!, true); v.setBigUint64(o + 7, BigInt(SAMPLE.t[i]!), true);
      }],
      [2, "[('timestamp', '>i8'), ('x', '>i2'), ('y', '>i2'), ('polarity', '?')]", 13, (v, i, o) => {
        v.setBigInt64(o, BigInt(SAMPLE.t[i]!), false); v.setInt16(o + 8, SAMPLE.x[i]!, false); v.setInt16(o + 10, SAMPLE.y[i]!, false); v.setUint8(o + 12, SAMPLE.p[i]!);
      }],
      [3, "{'names': ['x', 'y', 'ts', 'pol'], 'formats': ['<u2', '<u2', '<f8', '<i1'], 'offsets': [8, 10, 0, 12], 'itemsize': 16}", 16, (v, i, o) => {
        v.setFloat64(o, SAMPLE.t[i]!, true); v.setUint16(o + 8, SAMPLE.x[i]!, true); v.setUint16(o + 10, SAMPLE.y[i]!, true); v.setInt8(o + 12, SAMPLE.p[i]! ? 1 : -1);
      }],
    ];
    for (const [version, descr, size, write] of variants) {
      const bytes = npyBytes(version, descr, SAMPLE.length, size, write);
      for (const chunk of [1, 7, 1000]) {
        const { events, stats } = decodeBytes(format, bytes, chunk, { width: 1280, height: 720 });
        expect(firstDifference(events, SAMPLE), `${descr} chunk ${chunk}`).toBe(-1);
        expect(events.length).toBe(SAMPLE.length);
        expect(stats.header.version).toBe(String(version));
      }
    }
  });
  it('writeFile writes <i8 t, <u2 x, <u2 y, u1 p and reads back identically; the count is patched into the header', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'spikeflow-npy-')), 'out.npy');
    const half = (a: number, b: number) => makeBatch(SAMPLE, SAMPLE.t.slice(a, b), SAMPLE.x.slice(a, b), SAMPLE.y.slice(a, b), SAMPLE.p.slice(a, b));
    await format.writeFile!(path, (async function* () { yield half(0, 2); yield half(2, 5); })(), { width: 1280, height: 720 });
    const text = readFileSync(path).subarray(0, 128).toString('latin1');
    expect(text).toContain("'descr': [('t', '<i8'), ('x', '<u2'), ('y', '<u2'), ('p', '|u1')]");
    expect(text).toContain("'shape': (5,)");
    expect(readFileSync(path).length).toBe(128 + 5 * 13);
    const { events } = await readAllEvents(path, { width: 1280, height: 720 });
    expect(firstDifference(events, SAMPLE)).toBe(-1);
    expect(events.length).toBe(5);
    await expect(format.writeFile!(path, (async function* () { yield makeBatch(SAMPLE, Float64Array.of(1), Uint16Array.of(1280), Uint16Array.of(0), Uint8Array.of(1)); })(), { width: 1280, height: 720 })).rejects.toThrow(/x: 1280 .*width=1280/);
  });
});

describe('NPY: bad input', () => {
  const bytes = new Uint8Array(readFileSync(NCARS));
  it('truncated records, trailing bytes, unusable dtypes and shapes are DecodeErrors with offsets', () => {
    expect(() => decodeBytes(format, bytes.subarray(0, bytes.length - 3), 100)).toThrow(/file ends after 4406 of the 4407 records/);
    expect(() => decodeBytes(format, Uint8Array.from([...bytes, 1, 2]), 100)).toThrow(/at byte 57419: 2 byte\(s\) after the 4407 records/);
    expect(() => decodeBytes(format, bytes.subarray(0, 40), 100)).toThrow(/file ends inside the NPY header/);
    const noP = npyBytes(1, "[('t', '<i8'), ('x', '<u2'), ('y', '<u2')]", 0, 12, () => undefined);
    expect(() => decodeBytes(format, noP, 9)).toThrow(/at byte 10: the dtype's fields \(t, x, y\) lack p/);
    const twoD = npyBytes(1, "'<i8'", 0, 8, () => undefined);
    expect(() => decodeBytes(format, twoD, 9)).toThrow(DecodeError);
    const backwards = bytes.slice();
    new DataView(backwards.buffer).setBigInt64(128 + 13 * 100, 99_999n, true);
    expect(() => decodeBytes(format, backwards, 4096)).toThrow(/at byte 1441: t=\d+ is earlier than the previous record.s 99999/);
  });
  it('fuzz: 10,000 seeded mutations give contract-keeping events or a DecodeError', () => {
    const { failures, rejected } = fuzz(format, bytes.subarray(0, 128 + 13 * 20), 10_000, 5, { width: 64, height: 64 });
    expect(failures).toEqual([]);
    expect(rejected).toBeGreaterThan(1000);
  });
});
