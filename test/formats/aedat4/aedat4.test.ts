import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { Lz4FrameDecoder } from '../../../src/codecs/lz4Frame.ts';
import { ConfigError, DecodeError } from '../../../src/errors.ts';
import { concatBatches, makeBatch, sliceBatch, type EventBatch } from '../../../src/events/eventBatch.ts';
import { concatBytes } from '../../../src/formats/concatBytes.ts';
import { Aedat4Decoder } from '../../../src/formats/aedat4/decoder.ts';
import { Aedat4Encoder, type Aedat4EncoderOptions } from '../../../src/formats/aedat4/encoder.ts';
import { FlatTable } from '../../../src/formats/aedat4/flatbufferReader.ts';
import { format } from '../../../src/formats/aedat4/index.ts';
import { detectFormat } from '../../../src/formats/registry.ts';
import { readAllEvents } from '../../../src/sources/readAllEvents.ts';
import { fieldDigests } from '../../helpers/digests.ts';
import { bundled, hasProgram } from '../../helpers/shared.ts';
import { decodeInChunks, mutate, sameEvents, seededRandom } from '../aedat-common/decodeChunks.ts';

const FILE = bundled('aedat4/tonic_sample.aedat4');
const bytes = new Uint8Array(readFileSync(FILE));
/** Every decoder test runs on both paths: WebAssembly kernels and pure JS (SPIKEFLOW_NO_WASM=1). */
const PATHS = [
  ['wasm', true],
  ['js', false],
] as const;
/** The reference decode (pure JS); each path must reproduce it and the manifest facts. */
const full = decodeInChunks(() => new Aedat4Decoder({ file: FILE }, { wasm: false }), bytes, 1 << 20);

function encodeAll(events: EventBatch, options: Partial<Aedat4EncoderOptions> = {}): Uint8Array {
  const encoder = new Aedat4Encoder({ width: events.width, height: events.height, ...options });
  const parts = [encoder.header(), encoder.encode(events), encoder.end()];
  const out = concatBytes(parts);
  if (options.dataTable) {
    const patch = encoder.headerPatch();
    out.set(patch.bytes, patch.offset);
  }
  return out;
}

/** A full garbage collection (V8's gc() without --expose-gc on the command line). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** Magic (14) + header length (4) + the IOHeader. */
function bytesBeforeFirstPacket(file: Uint8Array): number {
  return 18 + new DataView(file.buffer, file.byteOffset).getUint32(14, true);
}

describe.each(PATHS)('AEDAT 4.0 decoder on tonic sample.aedat4 (bundled, %s)', (_name, wasm) => {
  const decoder = () => new Aedat4Decoder({ file: FILE }, { wasm });

  it('reproduces the manifest facts', () => {
    const decoded = decodeInChunks(decoder, bytes, 1 << 20);
    expect(sameEvents(decoded, full)).toBe(true);
    expect(full.length).toBe(111954);
    expect([full.width, full.height]).toEqual([320, 240]);
    expect([full.t[0], full.x[0], full.y[0], full.p[0]]).toEqual([1605537493718345, 154, 204, 0]);
    const n = full.length - 1;
    expect([full.t[n], full.x[n], full.y[n], full.p[n]]).toEqual([1605537494308262, 88, 237, 1]);
    let on = 0;
    for (let i = 0; i < full.length; i++) on += full.p[i]!;
    expect(on).toBe(55023);
    expect(full.length - on).toBe(56931);
  });

  it('hands out no memory beyond the events through the arrays\' buffers (output is allocated unzeroed)', () => {
    // Freed memory full of 0xff, of the sizes the decoder asks for, for the allocator to hand out again.
    const capacity = Math.ceil(bytes.length / 8);
    for (const size of [8, 2, 2, 1]) Buffer.allocUnsafeSlow(size * capacity).fill(0xff);
    collectGarbage();
    const batch = decoder().push(bytes);
    let tail = 0;
    let nonZero = 0;
    for (const a of [batch.t, batch.x, batch.y, batch.p]) {
      const after = new Uint8Array(a.buffer, a.byteOffset + a.byteLength);
      tail += after.length;
      for (let i = 0; i < after.length; i++) if (after[i] !== 0) nonZero++;
    }
    expect(batch.length).toBeGreaterThan(100000);
    // The WebAssembly collector's arrays have room to spare (the JS path's are exact, with no tail).
    if (wasm) expect(tail).toBeGreaterThan(0);
    expect(nonZero).toBe(0);
  });

  it('reports header, skipped IMU packets and no triggers through the file source', async () => {
    const { events, format: name, stats } = await readAllEvents(FILE);
    expect(name).toBe('aedat4');
    expect(events.length).toBe(111954);
    expect(stats.skipped).toEqual({ IMUS: 59 });
    expect(stats.triggers).toBe(0);
    expect(stats.header).toMatchObject({ compression: 'LZ4', dataTablePosition: '945243', streams: '0=EVTS 2=IMUS 3=TRIG' });
  });

  it('sniffs by magic', () => {
    expect(detectFormat(bytes.subarray(0, 4096), 'x.bin')?.name).toBe('aedat4');
    expect(format.sniff(new TextEncoder().encode('#!AER-DAT2.0\r\n'), 'x.aedat4')).toBe('no');
  });

  it('gives identical events for every chunk size 1..64 (on a 40 KB prefix) and for large chunks', () => {
    const prefix = bytes.subarray(0, 40_000);
    const reference = decodeInChunks(decoder, prefix, prefix.length, false);
    expect(reference.length).toBeGreaterThan(3000);
    for (let size = 1; size <= 64; size++) {
      expect(sameEvents(decodeInChunks(decoder, prefix, size, false), reference), `chunk ${size}`).toBe(true);
    }
    const digests = fieldDigests(full);
    for (const size of [1000, 4093, 65536, 300_000]) {
      expect(fieldDigests(decodeInChunks(decoder, bytes, size)), `chunk ${size}`).toEqual(digests);
    }
  });

  it('truncation: the events before the cut come first, then a DecodeError with file and offset', () => {
    for (const cut of [5, 20, 2400, 100_000, 945_000]) {
      const d = decoder();
      const got = d.push(bytes.slice(0, cut));
      expect(() => d.end()).toThrow(DecodeError);
      try {
        d.end();
      } catch (error) {
        expect((error as DecodeError).file).toBe(FILE);
        expect((error as DecodeError).offset).toBeLessThanOrEqual(cut);
      }
      if (cut === 945_000) expect(got.length).toBe(full.length); // every packet before the table
      if (cut === 100_000) expect(got.length).toBeGreaterThan(5000);
    }
  });

  it('damage in the middle of one chunk: the events before it come first, then the DecodeError', () => {
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    let at = bytesBeforeFirstPacket(bytes);
    for (let i = 0; i < 10; i++) at += 8 + view.getUint32(at + 4, true);
    const bad = bytes.slice();
    bad[at] = 9;
    const d = decoder();
    const got = d.push(bad);
    expect(got.length).toBeGreaterThan(5000);
    expect(sameEvents(got, sliceBatch(full, 0, got.length))).toBe(true);
    expect(() => d.end()).toThrow(`${FILE}: at byte ${at}: packet for stream 9, which the header does not declare`);
  });

  it('wrong magic and corrupt packets give DecodeError at the right offset', () => {
    const wrong = bytes.slice(0, 100);
    wrong[3] = 0x41;
    expect(() => decoder().push(wrong)).toThrow(/at byte 3: not an AEDAT 4.0 file/);
    const corrupt = bytes.slice();
    corrupt.fill(0x55, 2342 + 20, 2342 + 60); // inside the first packet's LZ4 data
    expect(() => decoder().push(corrupt)).toThrow(/at byte 2334: bad EVTS packet/);
    const badStream = bytes.slice();
    badStream[2334] = 9;
    expect(() => decoder().push(badStream)).toThrow(/at byte 2334: packet for stream 9/);
  });

  it('fuzz: 10,000 mutated small files give events or a DecodeError, never anything else', () => {
    const small = encodeAll(sliceBatch(full, 0, 600), { eventsPerPacket: 200 });
    const random = seededRandom(20261128);
    let errors = 0;
    for (let i = 0; i < 10_000; i++) {
      const input = mutate(small, random);
      try {
        decodeInChunks(decoder, input, 1 + Math.floor(random() * 4096));
      } catch (error) {
        if (!(error instanceof DecodeError)) throw error;
        errors++;
      }
    }
    expect(errors).toBeGreaterThan(5000);
  });
});

describe.each(PATHS)('AEDAT 4.0 encoder (decoded with %s)', (_name, wasm) => {
  it('round trips the real file exactly with LZ4 (default), no compression and raw zstd', () => {
    const digests = fieldDigests(full);
    for (const compression of [undefined, 'none', 'zstd'] as const) {
      const encoded = encodeAll(full, { compression });
      const back = decodeInChunks(() => new Aedat4Decoder({ file: 'rt.aedat4' }, { wasm }), encoded, 1 << 16);
      expect(fieldDigests(back), String(compression)).toEqual(digests);
      expect([back.width, back.height]).toEqual([320, 240]);
    }
    // LZ4 actually compresses event packets.
    expect(encodeAll(full).length).toBeLessThan(full.length * 16 * 0.75);
  });

  it('writes a data table that the header points at and that lists every packet', () => {
    const encoded = encodeAll(full, { dataTable: true, eventsPerPacket: 10_000 });
    const d = new Aedat4Decoder({ file: 'table.aedat4' }, { wasm });
    const back = d.push(encoded);
    d.end();
    expect(back.length).toBe(full.length);
    const position = Number(d.stats.header.dataTablePosition);
    expect(position).toBeGreaterThan(0);
    const table = new Lz4FrameDecoder({ wasm }).decode(encoded.subarray(position)).slice();
    const view = new DataView(table.buffer);
    expect(String.fromCharCode(...table.subarray(8, 12))).toBe('FTAB');
    const entries = FlatTable.root(view, 4).vector(0, 4);
    expect(entries.length).toBe(12);
    const first = new FlatTable(view, entries.start + view.getUint32(entries.start, true));
    expect(first.int64(2, -1)).toBe(10_000);
    expect(first.int64(3, -1)).toBe(full.t[0]);
    expect(first.int64(4, -1)).toBe(full.t[9_999]);
    // ByteOffset points at the packet data, 8 bytes after the packet header (as DV writes it), and
    // PacketInfo repeats that header's stream id and size.
    const dataAt = first.int64(0, -1);
    const file = new DataView(encoded.buffer);
    const info = first.field(1);
    expect(dataAt).toBe(bytesBeforeFirstPacket(encoded) + 8);
    expect(file.getUint32(dataAt - 8, true)).toBe(view.getInt32(info, true));
    expect(file.getUint32(dataAt - 4, true)).toBe(view.getInt32(info + 4, true));
    expect(view.getInt32(info, true)).toBe(0);
  });

  it('writeFile produces a file that decodes equal, table included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spikeflow-aedat4-'));
    try {
      const path = join(dir, 'out.aedat4');
      async function* one() {
        yield sliceBatch(full, 0, 50_000);
        yield sliceBatch(full, 50_000, full.length);
      }
      await format.writeFile!(path, one(), { width: 320, height: 240 });
      const { events, stats } = await readAllEvents(path);
      expect(fieldDigests(events)).toEqual(fieldDigests(full));
      expect(Number(stats.header.dataTablePosition)).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!hasProgram('zstd', '--version'))('reads packets really compressed by the zstd program (IOHeader compression ZSTD)', () => {
    const plain = encodeAll(full, { compression: 'none' });
    const view = new DataView(plain.buffer);
    const start = bytesBeforeFirstPacket(plain);
    const parts: Uint8Array[] = [plain.slice(0, start)];
    new DataView(parts[0]!.buffer).setInt32(18 + 28, 3, true); // IOHeader.compression = ZSTD
    for (let at = start; at < plain.length; ) {
      const length = view.getUint32(at + 4, true);
      const packed = new Uint8Array(spawnSync('zstd', ['-c', '-3'], { input: plain.subarray(at + 8, at + 8 + length) }).stdout);
      const head = plain.slice(at, at + 8);
      new DataView(head.buffer).setUint32(4, packed.length, true);
      parts.push(head, packed);
      at += 8 + length;
    }
    const file = new Uint8Array(Buffer.concat(parts));
    expect(file.length).toBeLessThan(plain.length * 0.75);
    const d = new Aedat4Decoder({ file: 'zstd.aedat4' }, { wasm });
    const back = decodeInChunks(() => d, file, 1 << 16);
    expect(d.stats.header.compression).toBe('ZSTD');
    expect(fieldDigests(back)).toEqual(fieldDigests(full));
  });

  it('round trips triggers', () => {
    const events = sliceBatch(full, 0, 100);
    const triggers = { t: Float64Array.of(events.t[0]!, events.t[50]!), id: Uint8Array.of(1, 2), value: Uint8Array.of(1, 0), length: 2 };
    const withTriggers = makeBatch(events, events.t.slice(), events.x.slice(), events.y.slice(), events.p.slice(), triggers);
    const d = new Aedat4Decoder({ file: 'trig.aedat4' }, { wasm });
    const back = d.push(encodeAll(withTriggers));
    d.end();
    expect(sameEvents(back, withTriggers)).toBe(true);
    expect(d.stats.triggers).toBe(2);
  });

  it('rejects events the geometry or the time order cannot hold (ConfigError stating value and range)', () => {
    const e = sliceBatch(full, 0, 10);
    const encoder = new Aedat4Encoder({ width: 320, height: 240 });
    encoder.header();
    const backwards = makeBatch(e, Float64Array.of(5, 4), Uint16Array.of(1, 1), Uint16Array.of(1, 1), Uint8Array.of(1, 1));
    expect(() => encoder.encode(backwards)).toThrow(ConfigError);
    expect(() => encoder.encode(backwards)).toThrow(/t: 4 is not allowed \(non-decreasing/);
    const wide = makeBatch(e, Float64Array.of(5), Uint16Array.of(320), Uint16Array.of(0), Uint8Array.of(1));
    expect(() => new Aedat4Encoder({ width: 320, height: 240 }).encode(wide)).toThrow(/x: 320 is not allowed \(x < width=320\)/);
    const tall = makeBatch(e, Float64Array.of(5), Uint16Array.of(0), Uint16Array.of(240), Uint8Array.of(1));
    expect(() => new Aedat4Encoder({ width: 320, height: 240 }).encode(tall)).toThrow(/y: 240 is not allowed/);
    expect(() => new Aedat4Encoder({ width: 320, height: 240, compression: 'brotli' as 'lz4' })).toThrow(ConfigError);
  });
});

/** Both paths on the same input: identical events (in identical batches) and the identical error. */
function decodeBoth(input: Uint8Array, chunkSize: number, file = 'x.aedat4'): { batches: EventBatch[]; error: string }[] {
  return [true, false].map((wasm) => {
    const d = new Aedat4Decoder({ file }, { wasm });
    const batches: EventBatch[] = [];
    let error = '';
    try {
      for (let i = 0; i < input.length; i += chunkSize) batches.push(d.push(input.subarray(i, i + chunkSize)));
      batches.push(d.end());
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      error = e.message;
    }
    return { batches, error };
  });
}

function expectSameOutcome([wasm, js]: { batches: EventBatch[]; error: string }[], what: string): void {
  expect(wasm!.error, what).toBe(js!.error);
  expect(wasm!.batches.length, what).toBe(js!.batches.length);
  wasm!.batches.forEach((b, i) => expect(sameEvents(b, js!.batches[i]!), `${what}, batch ${i}`).toBe(true));
}

describe('AEDAT 4.0: the WebAssembly and pure-JS paths agree', () => {
  it('on 3000 mutated files: the same batches and the same DecodeError', () => {
    const small = encodeAll(sliceBatch(full, 0, 3000), { eventsPerPacket: 500 });
    const random = seededRandom(99);
    let errors = 0;
    for (let i = 0; i < 3000; i++) {
      const input = mutate(small, random, 40);
      const outcome = decodeBoth(input, 1 + Math.floor(random() * 20_000));
      expectSameOutcome(outcome, `input ${i}`);
      if (outcome[0]!.error) errors++;
    }
    expect(errors).toBeGreaterThan(1000);
  });

  it('on a push larger than the wasm event area, with a bad event before and after the area fills', () => {
    const n = 300_000; // more than EVENT_AREA_CAPACITY (262,144)
    const t = new Float64Array(n).map((_, i) => 1_000_000 + i * 3);
    const x = new Uint16Array(n).map((_, i) => (i * 7) % 640);
    const y = new Uint16Array(n).map((_, i) => (i * 13) % 480);
    const p = new Uint8Array(n).map((_, i) => (i >> 2) & 1);
    const events = makeBatch({ width: 640, height: 480 }, t, x, y, p);
    for (const compression of ['lz4', 'none'] as const) {
      const file = encodeAll(events, { compression, eventsPerPacket: 100_000 });
      const [wasm] = decodeBoth(file, file.length);
      expect(wasm!.error).toBe('');
      expect(sameEvents(concatBatches(wasm!.batches), events)).toBe(true);
    }
    const plain = encodeAll(events, { compression: 'none', eventsPerPacket: 100_000 });
    for (const bad of [250_000, 270_000]) {
      const corrupt = plain.slice();
      const needle = Buffer.alloc(8);
      needle.writeBigInt64LE(BigInt(t[bad]!)); // the bad event's int64 t, unique in the file
      const at = Buffer.from(corrupt.buffer).indexOf(needle);
      expect(at).toBeGreaterThan(0);
      new DataView(corrupt.buffer).setUint16(at + 8, 700, true);
      const outcome = decodeBoth(corrupt, corrupt.length, 'bad.aedat4');
      expectSameOutcome(outcome, `bad event ${bad}`);
      expect(outcome[0]!.batches[0]!.length).toBe(200_000); // the two packets before the bad one
      expect(outcome[0]!.error).toMatch(new RegExp(`EVTS packet \\(stream 0\\): event ${bad - 200_000}: x=700 is outside 0..639`));
    }
  });
});
