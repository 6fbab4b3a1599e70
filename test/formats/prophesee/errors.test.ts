import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DecodeError } from '../../../src/errors.ts';
import { concatBatches, sliceBatch, type EventBatch } from '../../../src/events/eventBatch.ts';
import { createEvt21Decoder } from '../../../src/formats/evt21/index.ts';
import { useWasmKernels } from '../../../src/formats/prophesee/wasmKernels.ts';
import { formatByName } from '../../../src/formats/registry.ts';
import type { DecoderOptions, EventDecoder } from '../../../src/formats/types.ts';
import { openEventFile } from '../../../src/sources/openEventFile.ts';
import { bundled } from '../../helpers/shared.ts';
import { mulberry32 } from '../mulberry32.ts';
import { decodeBytes, encodeBytes, fields, KERNEL_PATHS, onKernelPath } from './support.ts';

const dir = mkdtempSync(join(tmpdir(), 'spikeflow-prophesee-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pedestrians = new Uint8Array(readFileSync(bundled('evt3/expelliarmus_evt3_pedestrians_5000ev.raw')));
const sparklers = new Uint8Array(readFileSync(bundled('evt2/expelliarmus_evt2_sparklers.raw')));
const ncars = new Uint8Array(readFileSync(bundled('dat/expelliarmus_NCARS_obj_004397_td.dat')));
const HEADER_EVT3 = pedestrians.indexOf(0x0a, pedestrians.lastIndexOf(0x25, 400)) + 1;

/** Reads a file through the file source, collecting the batches delivered before the error. */
async function readUntilError(path: string, chunkSize: number, format?: string) {
  const delivered: EventBatch[] = [];
  try {
    const file = await openEventFile(path, { chunkSize, format });
    for await (const batch of file.batches()) delivered.push(batch);
  } catch (error) {
    return { events: concatBatches(delivered), error };
  }
  return { events: concatBatches(delivered), error: undefined };
}

for (const path of KERNEL_PATHS) {
  describe(path.name, () => {
    onKernelPath(path.wasm);

    describe('damaged Prophesee files end with a DecodeError naming the file and offset, after the good events', () => {
      it('EVT 3.0 cut inside a word: the events before are delivered, then the offset of the partial word', async () => {
        const cut = HEADER_EVT3 + 20001; // an odd number of data bytes
        const path = join(dir, 'cut.raw');
        writeFileSync(path, pedestrians.subarray(0, cut));
        const { events, error } = await readUntilError(path, 4096);
        expect(error).toBeInstanceOf(DecodeError);
        expect((error as DecodeError).file).toBe(path);
        expect((error as DecodeError).offset).toBe(cut - 1);
        expect((error as Error).message).toMatch(/truncated EVT 3.0 word: the file ends after 1 of its 2 bytes/);
        const whole = decodeBytes('evt3', pedestrians.subarray(0, cut - 1), 1 << 20);
        expect(events.length).toBe(whole.length);
        expect(events.length).toBeGreaterThan(2000);
      });

      it('EVT 2.0 and DAT cut inside a word or record, and a header cut inside a line', async () => {
        const cases = [
          { name: 'evt2.raw', bytes: sparklers.subarray(0, sparklers.length - 3), offset: sparklers.length - 4, what: /1 of its 4 bytes/ },
          { name: 'ncars.dat', bytes: ncars.subarray(0, ncars.length - 5), offset: ncars.length - 8, what: /DAT record: .* 3 of its 8 bytes/ },
          { name: 'header.raw', bytes: pedestrians.subarray(0, 40), offset: 37, what: /header line cut short/ },
        ];
        for (const c of cases) {
          const path = join(dir, c.name);
          writeFileSync(path, c.bytes);
          const { error } = await readUntilError(path, 65536);
          expect(error, c.name).toBeInstanceOf(DecodeError);
          expect((error as DecodeError).offset, c.name).toBe(c.offset);
          expect((error as Error).message, c.name).toMatch(c.what);
          expect((error as Error).message, c.name).toContain(path);
        }
      });

      it('a corrupted word: events before it, then its offset', async () => {
        const bytes = sparklers.slice();
        const header = bytes.indexOf(0x0a, bytes.lastIndexOf(0x25, 400)) + 1;
        const at = header + 4 * 100000;
        new DataView(bytes.buffer).setUint32(at, 0x3000_0000, true); // type 0x3 is not an EVT 2.0 word
        const path = join(dir, 'corrupt.raw');
        writeFileSync(path, bytes);
        const { events, error } = await readUntilError(path, 8192);
        expect((error as DecodeError).offset).toBe(at);
        expect((error as Error).message).toMatch(/unknown EVT 2.0 word type 0x3/);
        const good = decodeBytes('evt2', sparklers, 1 << 20);
        expect(events.length).toBeGreaterThan(90000);
        expect(fields(events)).toEqual(fields(sliceBatch(good, 0, events.length)));
      });

      it('garbage: no format recognised, or forced formats that reject it at a byte offset, never a hang', async () => {
        const random = mulberry32(7);
        const garbage = Uint8Array.from({ length: 100000 }, () => Math.floor(random() * 256));
        const path = join(dir, 'garbage.raw');
        writeFileSync(path, garbage);
        await expect(openEventFile(path)).rejects.toThrow(/at byte 0: unknown event file format/);
        for (const format of ['evt2', 'evt21', 'evt3', 'dat']) {
          const { error } = await readUntilError(path, 4096, format);
          expect(error, format).toBeInstanceOf(DecodeError);
          expect((error as DecodeError).offset, format).toBeGreaterThanOrEqual(0);
          expect((error as DecodeError).offset, format).toBeLessThan(garbage.length);
        }
      });

      it('a DAT file whose event type is not CD', () => {
        const bytes = ncars.slice();
        const header = bytes.indexOf(0x0a, bytes.lastIndexOf(0x25, 200)) + 1;
        bytes[header] = 40; // optical flow
        expect(() => decodeBytes('dat', bytes, 1000)).toThrow(/at byte \d+: DAT event type 40 is not a CD event type/);
      });
    });
  });
}

/**
 * Seeded fuzzing: 10,000 mutated inputs per decoder (bytes flipped, words cut out, truncated at random) fed in
 * random chunk sizes. Every input must decode or end in a DecodeError; whatever is delivered keeps the
 * stream contract (x < width, y < height, t never decreasing). The WebAssembly and JS loops must agree exactly
 * (events, triggers, error offset and message), also when a stream switches between them chunk by chunk.
 */
describe('fuzz: mutated inputs give events that keep the contract or a DecodeError, nothing else', () => {
  const pedestrianEvents = decodeBytes('evt3', pedestrians, 1 << 20);
  const small = sliceBatch(pedestrianEvents, 0, 48);
  const seeds: { name: string; make: (o: DecoderOptions) => EventDecoder; bytes: Uint8Array }[] = [
    { name: 'evt2', make: formatByName('evt2').createDecoder!, bytes: encodeBytes('evt2', withTriggers(small)) },
    { name: 'evt3', make: formatByName('evt3').createDecoder!, bytes: encodeBytes('evt3', withTriggers(small)) },
    { name: 'dat', make: formatByName('dat').createDecoder!, bytes: encodeBytes('dat', small) },
    { name: 'evt21', make: (o) => createEvt21Decoder(o), bytes: encodeBytes('evt21', small) },
    // The camera's own words (doubled TIME_HIGH heartbeats, which the encoder never writes): header + 500 words.
    { name: 'evt3 camera words', make: formatByName('evt3').createDecoder!, bytes: pedestrians.slice(0, headerEnd(pedestrians) + 1000) },
  ];
  afterAll(() => useWasmKernels(undefined));

  /** Decodes in chunks on one path ('mixed': WebAssembly and JS loops alternating chunk by chunk). */
  function decodeMutated(make: (o: DecoderOptions) => EventDecoder, bytes: Uint8Array, chunk: number, path: 'wasm' | 'js' | 'mixed') {
    useWasmKernels(path !== 'js');
    const decoder = make({ file: 'fuzz' });
    const batches: EventBatch[] = [];
    let error: DecodeError | undefined;
    try {
      for (let o = 0, c = 0; o <= bytes.length; o += chunk, c++) {
        if (path === 'mixed') useWasmKernels(c % 2 === 0);
        batches.push(o < bytes.length ? decoder.push(bytes.slice(o, o + chunk)) : decoder.end());
      }
      if (bytes.length % chunk === 0) decoder.end();
    } catch (caught) {
      if (!(caught instanceof DecodeError)) throw caught;
      error = caught;
    }
    const events = concatBatches(batches, decoder.geometry ?? { width: 1, height: 1 });
    return { events: fields(events), error: error && { offset: error.offset, message: error.message } };
  }

  for (const seed of seeds) {
    it(`${seed.name}: 10,000 mutated inputs, WebAssembly and JS loops identical`, () => {
      const random = mulberry32(seed.name.length * 7919 + 17);
      const int = (n: number) => Math.floor(random() * n);
      let errors = 0;
      for (let round = 0; round < 10000; round++) {
        let bytes = seed.bytes.slice();
        const kind = int(3);
        if (kind === 0) {
          for (let m = 1 + int(4); m > 0; m--) bytes[int(bytes.length)] = int(256);
        } else if (kind === 1) {
          const from = int(bytes.length);
          const rest = bytes.subarray(Math.min(bytes.length, from + 1 + int(8)));
          const cut = new Uint8Array(from + rest.length);
          cut.set(bytes.subarray(0, from));
          cut.set(rest, from);
          bytes = cut;
        } else {
          bytes = bytes.subarray(0, int(bytes.length));
        }
        const chunk = 1 + int(64);
        const wasm = decodeMutated(seed.make, bytes, chunk, 'wasm');
        const { t, x, y, width, height } = wasm.events;
        for (let i = 0; i < t.length; i++) {
          if (x[i]! >= width || y[i]! >= height || (i > 0 && t[i]! < t[i - 1]!)) {
            throw new Error(`round ${round}: event ${i} breaks the contract`);
          }
        }
        if (wasm.error) {
          expect(wasm.error.offset).toBeGreaterThanOrEqual(0);
          expect(wasm.error.offset).toBeLessThanOrEqual(bytes.length);
          errors++;
        }
        const js = decodeMutated(seed.make, bytes, chunk, 'js');
        if (JSON.stringify(js) !== JSON.stringify(wasm)) expect({ round, ...js }).toEqual({ round, ...wasm });
        if (round % 4 === 0) {
          const mixed = decodeMutated(seed.make, bytes, chunk, 'mixed');
          if (JSON.stringify(mixed) !== JSON.stringify(wasm)) expect({ round, ...mixed }).toEqual({ round, ...wasm });
        }
      }
      // The mutations do hit: a good share of inputs is rejected, and a good share still decodes.
      expect(errors).toBeGreaterThan(1000);
      expect(errors).toBeLessThan(10000);
    });
  }
});

/** Bytes of a file's `%` header lines. */
function headerEnd(bytes: Uint8Array): number {
  let end = 0;
  while (bytes[end] === 0x25) end = bytes.indexOf(0x0a, end) + 1;
  return end;
}

/** The events with a trigger on every 8th event's time (ids 0..3), so that fuzzing reaches the trigger words. */
function withTriggers(events: EventBatch): EventBatch {
  const times = Array.from(events.t).filter((_, i) => i % 8 === 3);
  return {
    ...events,
    triggers: {
      t: Float64Array.from(times),
      id: Uint8Array.from(times, (_, i) => i % 4),
      value: Uint8Array.from(times, (_, i) => i % 2),
      length: times.length,
    },
  };
}
