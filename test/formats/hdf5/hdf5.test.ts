import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import h5wasm from 'h5wasm/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { DecodeError } from '../../../src/errors.ts';
import { makeBatch, type EventBatch } from '../../../src/events/eventBatch.ts';
import { filterErrorFrom } from '../../../src/formats/hdf5/filters.ts';
import { format } from '../../../src/formats/hdf5/index.ts';
import { SLICE_EVENTS } from '../../../src/formats/hdf5/reader.ts';
import { loadH5 } from '../../../src/formats/hdf5/library.ts';
import { format as npy } from '../../../src/formats/npy/index.ts';
import { readAllEvents } from '../../../src/sources/readAllEvents.ts';
import { openEventFile } from '../../../src/sources/openEventFile.ts';
import { fieldDigests } from '../../helpers/digests.ts';
import { bundled } from '../../helpers/shared.ts';
import { mulberry32 } from '../mulberry32.ts';
import { decodeBytes, firstDifference, summary } from '../nmnist/codecHarness.ts';

// No real HDF5 event file is available: every file here is generated with h5wasm itself (the library that
// reads it), so these tests prove our layout handling, slicing and filter checks, not interoperability with
// files written by h5py or Prophesee's tools.
const dir = mkdtempSync(join(tmpdir(), 'spikeflow-h5-'));
const ncars = decodeBytes(npy, new Uint8Array(readFileSync(bundled('npy/expelliarmus_NCARS_obj_004397_td_ref.npy'))), 1 << 20, { width: 64, height: 64 }).events;

async function* batchesOf(batch: EventBatch, size: number) {
  for (let s = 0; s < batch.length; s += size) {
    const e = Math.min(s + size, batch.length);
    yield makeBatch(batch, batch.t.slice(s, e), batch.x.slice(s, e), batch.y.slice(s, e), batch.p.slice(s, e));
  }
}

beforeAll(async () => {
  await h5wasm.ready;
});

describe('HDF5 DSEC layout', () => {
  it('writeFile → readFile gives the NCARS reference back exactly; the file has the DSEC datasets', async () => {
    const path = join(dir, 'ncars.h5');
    const shifted = { ...ncars, t: ncars.t.map((t) => t + 1_000_000) }; // so that t_offset is not 0
    await format.writeFile!(path, batchesOf(shifted, 1000), { width: 64, height: 64 });
    const { events, format: detected, stats } = await readAllEvents(path);
    expect(detected).toBe('hdf5');
    expect(stats.header).toMatchObject({ layout: 'dsec', events: '4407', t_offset: '1000000' });
    expect(fieldDigests(events)).toEqual(fieldDigests(shifted));
    expect([events.width, events.height]).toEqual([64, 64]);

    const f = new h5wasm.File(path, 'r');
    try {
      const ds = (p: string) => f.get(p) as unknown as { dtype: string; value: ArrayLike<number | bigint>; shape: number[] };
      expect([ds('events/t').dtype, ds('events/x').dtype, ds('events/y').dtype, ds('events/p').dtype]).toEqual(['<q', '<H', '<H', '<B']);
      expect(Number(ds('t_offset').value as unknown as bigint)).toBe(1_000_000);
      // ms_to_idx[ms] = first index whose relative t >= ms * 1000, computed here independently.
      const msToIdx = Array.from(ds('ms_to_idx').value, Number);
      expect(msToIdx.length).toBe(Math.floor(99937 / 1000) + 1);
      msToIdx.forEach((idx, ms) => {
        const expected = ncars.t.findIndex((t) => t >= ms * 1000);
        expect(idx, `ms ${ms}`).toBe(expected);
      });
      expect(Number(f.attrs.width!.value)).toBe(64);
    } finally {
      f.close();
    }
  });

  it('reads in slices of SLICE_EVENTS (bounded memory) and adds t_offset; geometry max+1 with a warning', async () => {
    const path = join(dir, 'big.h5');
    const n = SLICE_EVENTS * 2 + 1234;
    const f = new h5wasm.File(path, 'w');
    const events = f.create_group('events');
    const t = new Uint32Array(n).map((_, i) => Math.floor(i / 3));
    events.create_dataset({ name: 't', data: t, dtype: '<I' });
    events.create_dataset({ name: 'x', data: new Uint16Array(n).map((_, i) => i % 640), dtype: '<H' });
    events.create_dataset({ name: 'y', data: new Uint16Array(n).map((_, i) => i % 480), dtype: '<H' });
    events.create_dataset({ name: 'p', data: new Int8Array(n).map((_, i) => (i % 2 ? 1 : -1)), dtype: '<b' });
    f.create_dataset({ name: 't_offset', data: BigInt64Array.of(5_000_000_000n), shape: [], dtype: '<q' });
    f.close();
    const file = await openEventFile(path);
    const sizes: number[] = [];
    let last: EventBatch | undefined;
    for await (const batch of file.batches()) {
      sizes.push(batch.length);
      last = batch;
    }
    expect(sizes).toEqual([SLICE_EVENTS, SLICE_EVENTS, 1234]);
    expect(file.stats().header.warning).toMatch(/geometry 640x480 inferred/);
    const i = n - 1;
    expect([last!.t[1233], last!.x[1233], last!.y[1233], last!.p[1233]]).toEqual([5_000_000_000 + Math.floor(i / 3), i % 640, i % 480, i % 2]);
  });
});

describe('HDF5 Prophesee layout', () => {
  it('/CD/events compound (x, y, p, t) is read member by member from raw bytes', async () => {
    const path = join(dir, 'cd.h5');
    const f = new h5wasm.File(path, 'w');
    f.create_group('CD');
    const n = 4407;
    (f.get('CD') as unknown as { create_dataset(a: unknown): void }).create_dataset({
      name: 'events',
      data: new Map<string, unknown>([
        ['x', Uint16Array.from(ncars.x)],
        ['y', Uint16Array.from(ncars.y)],
        ['p', Int16Array.from(ncars.p)],
        ['t', BigInt64Array.from(ncars.t, (t) => BigInt(t))],
      ]),
    });
    f.create_attribute('geometry', '64x64');
    f.close();
    const { events, stats } = await readAllEvents(path);
    expect(stats.header.layout).toBe('prophesee');
    expect(summary(events)).toEqual({ events: n, first: [0, 6, 18, 1], last: [99937, 48, 47, 1], on: 1671, off: 2736, width: 64, height: 64 });
    expect(firstDifference(events, ncars)).toBe(-1);
  });
});

describe('HDF5 filters h5wasm lacks', () => {
  /**
   * h5wasm cannot create a dataset with an unregistered filter, so the file is crafted: a deflate dataset is
   * written with version-1 object headers (no checksums) and its filter pipeline entry (id 1, name
   * "deflate") is patched to the given id and name. libhdf5 then reports that filter for the dataset —
   * checked below through h5wasm's own `filters` — exactly as for a real blosc/ECF file.
   */
  function craft(path: string, id: number, name: string): void {
    const f = new h5wasm.File(path, 'w', { libver: ['earliest', 'v108'] });
    const events = f.create_group('events');
    for (const c of ['t', 'x', 'y', 'p']) {
      events.create_dataset({ name: c, data: new Uint16Array(100).fill(1), chunks: [50], compression: 1, compression_opts: [4] });
    }
    f.close();
    const bytes = readFileSync(path);
    const label = Buffer.from('deflate\0');
    let hits = 0;
    for (let at = bytes.indexOf(label); at >= 0; at = bytes.indexOf(label, at + 1)) {
      expect(bytes.readUInt16LE(at - 8)).toBe(1); // the deflate id right before: id, name length, flags, count
      bytes.writeUInt16LE(id, at - 8);
      bytes.write(name.padEnd(8, '\0').slice(0, 8), at, 'latin1');
      hits++;
    }
    expect(hits).toBe(4);
    writeFileSync(path, bytes);
  }

  for (const [id, label] of [[32001, 'blosc'], [36559, 'ECF']] as const) {
    it(`a dataset claiming filter ${id} (${label}) is refused with a DecodeError naming it`, async () => {
      const path = join(dir, `${label}.h5`);
      craft(path, id, label.toLowerCase());
      const f = new h5wasm.File(path, 'r');
      const filters = (f.get('events/x') as unknown as { filters: { id: number }[] }).filters;
      f.close();
      expect(filters.map((x) => x.id)).toEqual([id]);
      const error = await readAllEvents(path).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DecodeError);
      expect(String((error as Error).message)).toMatch(new RegExp(`dataset /events/t is compressed with HDF5 filter ${id} \\(${label}`));
      // Without our check, libhdf5 (with h5wasm's throwing error handler, as spikeflow sets it) fails the read
      // with its own message, which maps to the same DecodeError.
      await loadH5();
      const g = new h5wasm.File(path, 'r');
      let libraryError: unknown;
      try {
        (g.get('events/x') as unknown as { slice(r: number[][]): unknown }).slice([[0, 10]]);
      } catch (e) {
        libraryError = e;
      } finally {
        g.close();
      }
      expect(String(libraryError)).toMatch(new RegExp(`required filter '${label.toLowerCase()}' is not registered`));
      expect(filterErrorFrom(path, '/events/x', libraryError)?.message).toMatch(new RegExp(`HDF5 filter ${id} \\(${label}`));
    });
  }

  it('a libhdf5 "filter not registered" message maps to the same kind of DecodeError', () => {
    const mapped = filterErrorFrom('f.h5', '/events/x', new Error('H5Z_find(): required filter 32001 is not registered'));
    expect(mapped).toBeInstanceOf(DecodeError);
    expect(mapped!.message).toMatch(/HDF5 filter 32001 \(blosc\)/);
    expect(filterErrorFrom('f.h5', '/events/x', new Error('something else'))).toBeUndefined();
  });
});

describe('HDF5 bad input and validation', () => {
  it('a non-HDF5 file and an HDF5 file without events are DecodeErrors', async () => {
    const notH5 = join(dir, 'not.h5');
    writeFileSync(notH5, 'hello, this is text');
    await expect(readAllEvents(notH5, { format: 'hdf5' })).rejects.toThrow(/not an HDF5 file/);
    const empty = join(dir, 'empty.h5');
    const f = new h5wasm.File(empty, 'w');
    f.create_group('other');
    f.close();
    await expect(readAllEvents(empty)).rejects.toThrow(/no \/events\/t dataset: expected the DSEC layout .*top level: other/);
  });
  it('fuzz: 500 seeded mutations of a DSEC file (flips, truncations) give events or a DecodeError, never another error', async () => {
    // 500, not 10,000: every input is a file that libhdf5 opens (about 15 ms each); the byte-stream decoders
    // of the other formats get 10,000 in memory.
    const base = readFileSync(join(dir, 'ncars.h5'));
    const random = mulberry32(99);
    const path = join(dir, 'fuzz.h5');
    const outcomes = { ok: 0, rejected: 0, other: [] as string[] };
    for (let k = 0; k < 500; k++) {
      let bytes = Buffer.from(base);
      if (k % 2) bytes = bytes.subarray(0, Math.floor(random() * bytes.length));
      else for (let f = 0; f < 4; f++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      writeFileSync(path, bytes);
      try {
        const { events } = await readAllEvents(path, { format: 'hdf5' });
        for (let i = 1; i < events.length; i++) if (events.t[i]! < events.t[i - 1]!) throw new Error('t decreases');
        outcomes.ok++;
      } catch (error) {
        if (error instanceof DecodeError) outcomes.rejected++;
        else outcomes.other.push(String(error));
      }
    }
    expect(outcomes.other).toEqual([]);
    expect(outcomes.rejected).toBeGreaterThan(100);
  }, 60_000);

  it('writeFile validates x, y and t', async () => {
    const bad = makeBatch({ width: 10, height: 10 }, Float64Array.of(1), Uint16Array.of(10), Uint16Array.of(0), Uint8Array.of(0));
    await expect(format.writeFile!(join(dir, 'bad.h5'), batchesOf(bad, 1), { width: 10, height: 10 })).rejects.toThrow(/x: 10 .*width=10/);
  });
});
