import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { DecodeError } from '../../../src/errors.ts';
import { concatBatches, makeBatch, type EventBatch } from '../../../src/events/eventBatch.ts';
import { useWasmKernels } from '../../../src/formats/prophesee/wasmKernels.ts';
import { formatByName } from '../../../src/formats/registry.ts';
import { bundled, hasShared, sharedFile } from '../../helpers/shared.ts';
import { expectCommittedWasm, hasWasmToolchain } from '../../helpers/wasmRebuild.ts';
import { encodeBytes, fields } from './support.ts';

afterAll(() => useWasmKernels(undefined));

type Path = 'wasm' | 'js' | 'mixed';

/** Decodes in chunks on one path ('mixed': the WebAssembly and JS loops alternate chunk by chunk). */
function decodeOn(path: Path, format: string, bytes: Uint8Array, chunk: number) {
  useWasmKernels(path !== 'js');
  const decoder = formatByName(format).createDecoder!({ file: 'memory' });
  const batches: EventBatch[] = [];
  let error: DecodeError | undefined;
  try {
    for (let o = 0, c = 0; o < bytes.length; o += chunk, c++) {
      if (path === 'mixed') useWasmKernels(c % 2 === 0);
      batches.push(decoder.push(bytes.slice(o, o + chunk)));
    }
    batches.push(decoder.end());
  } catch (caught) {
    if (!(caught instanceof DecodeError)) throw caught;
    error = caught;
  }
  return { events: concatBatches(batches, decoder.geometry), error, stats: decoder.stats };
}

function same(a: EventBatch, b: EventBatch): boolean {
  if (a.length !== b.length || (a.triggers?.length ?? 0) !== (b.triggers?.length ?? 0)) return false;
  for (let i = 0; i < a.length; i++) {
    if (a.t[i] !== b.t[i] || a.x[i] !== b.x[i] || a.y[i] !== b.y[i] || a.p[i] !== b.p[i]) return false;
  }
  return JSON.stringify(fields(a).triggers) === JSON.stringify(fields(b).triggers);
}

const recordings: [string, string][] = [
  ['evt2', bundled('evt2/expelliarmus_evt2_sparklers.raw')],
  ['evt3', bundled('evt3/expelliarmus_evt3_pedestrians_5000ev.raw')],
  ['dat', bundled('dat/expelliarmus_NCARS_obj_004397_td.dat')],
  ...((hasShared
    ? [
        ['evt2', sharedFile('recordings/evt2/expelliarmus_evt2_sample.raw')],
        ['evt3', sharedFile('recordings/evt3/expelliarmus_evt3_sample.raw')],
        ['evt3', sharedFile('recordings/evt3/DERIVED_event_camera_codecs_evt3_trigger_payload.evt3')],
        ['dat', sharedFile('recordings/dat/tonic_sample_ncars.dat')],
      ]
    : []) as [string, string][]),
];

describe('the WebAssembly and JS word loops give identical streams', () => {
  for (const [format, file] of recordings) {
    it(`${file.split('/').pop()}: events, triggers and skipped-word counts, whole and in odd chunks, also switching paths per chunk`, () => {
      const bytes = new Uint8Array(readFileSync(file));
      const reference = decodeOn('js', format, bytes, 1 << 20);
      expect(reference.error).toBeUndefined();
      expect(reference.events.length).toBeGreaterThan(2000);
      for (const [path, chunk] of [['wasm', 1 << 20], ['wasm', 7919], ['mixed', 65537], ['mixed', 4099]] as [Path, number][]) {
        const got = decodeOn(path, format, bytes, chunk);
        expect(got.error, `${path} ${chunk}`).toBeUndefined();
        if (!same(got.events, reference.events)) expect(fields(got.events)).toEqual(fields(reference.events));
        expect(got.stats, `${path} ${chunk}`).toEqual(reference.stats);
      }
    });
  }

  it('the DERIVED EVT 3.0 payload\'s two triggers and skipped words come out of the WebAssembly loop', () => {
    if (!hasShared) return;
    const bytes = new Uint8Array(readFileSync(sharedFile('recordings/evt3/DERIVED_event_camera_codecs_evt3_trigger_payload.evt3')));
    const { events, stats } = decodeOn('wasm', 'evt3', bytes, 1 << 20);
    expect(events.triggers?.length).toBe(2);
    expect(stats.triggers).toBe(2);
    expect(stats.skipped).toEqual({ continued4: 12512, others: 15688, continued12: 25024 });
  });
});

const GEOMETRY = { width: 640, height: 480 };
/** Three events at the sensor's far corner: valid on both paths. */
const corner = makeBatch(GEOMETRY, Float64Array.of(100, 101, 102), Uint16Array.of(639, 0, 639), Uint16Array.of(479, 479, 0), Uint8Array.of(1, 0, 1));

function withWords(head: Uint8Array, words: Uint16Array | Uint32Array): Uint8Array {
  const tail = new Uint8Array(words.buffer, words.byteOffset, words.byteLength);
  const out = new Uint8Array(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return out;
}

const EVT2_CD_ON = (t: number, x: number, y: number) => ((1 << 28) | ((t & 63) << 22) | (x << 11) | y) >>> 0;
const DAT_PACKED = (x: number, y: number, p: number) => (x | (y << 14) | (p << 28)) >>> 0;

describe('both paths reject the first word outside the sensor at the same offset, after the same events', () => {
  const evt2 = encodeBytes('evt2', corner);
  const evt3 = encodeBytes('evt3', corner);
  const dat = encodeBytes('dat', corner);
  const cases: { name: string; format: string; bytes: Uint8Array; good: number; fault: RegExp }[] = [
    { name: 'EVT 2.0 x = width', format: 'evt2', bytes: withWords(evt2, Uint32Array.of(EVT2_CD_ON(102, 639, 1), EVT2_CD_ON(103, 640, 1))), good: 4, fault: /x=640, y=1 lies outside the 640x480/ },
    { name: 'EVT 2.0 y = height', format: 'evt2', bytes: withWords(evt2, Uint32Array.of(EVT2_CD_ON(102, 1, 480))), good: 3, fault: /x=1, y=480 lies outside/ },
    { name: 'EVT 3.0 ADDR_X x = width', format: 'evt3', bytes: withWords(evt3, Uint16Array.of(0x2000 | 639, 0x2000 | 640)), good: 4, fault: /x=640, y=0 lies outside/ },
    { name: 'EVT 3.0 ADDR_Y y = height', format: 'evt3', bytes: withWords(evt3, Uint16Array.of(0x0000 | 479, 0x0000 | 480)), good: 3, fault: /row y=480 lies outside/ },
    // VECT_BASE_X 632 then VECT_8 with bits 0 and 7 (x 632, 639: valid), then VECT_12 from 640 with bit 0.
    { name: 'EVT 3.0 vector past the right edge', format: 'evt3', bytes: withWords(evt3, Uint16Array.of(0x3000 | 632, 0x5000 | 0x81, 0x4000 | 0x001)), good: 5, fault: /x=640, y=0 lies outside/ },
    { name: 'DAT x = width', format: 'dat', bytes: withWords(dat, Uint32Array.of(200, DAT_PACKED(639, 479, 1), 201, DAT_PACKED(640, 0, 1))), good: 4, fault: /x=640, y=0 lies outside/ },
    { name: 'DAT y = height', format: 'dat', bytes: withWords(dat, Uint32Array.of(200, DAT_PACKED(0, 480, 0))), good: 3, fault: /x=0, y=480 lies outside/ },
    { name: 'DAT time going back by less than half the 32-bit range', format: 'dat', bytes: withWords(dat, Uint32Array.of(50, DAT_PACKED(1, 1, 0))), good: 3, fault: /DAT time goes back \(102 µs → 50 µs\)/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const offset = c.bytes.length - (c.format === 'evt3' ? 2 : c.format === 'evt2' ? 4 : 8);
      for (const path of ['wasm', 'js', 'mixed'] as Path[]) {
        for (const chunk of [1, 3, 1 << 20]) {
          const { events, error } = decodeOn(path, c.format, c.bytes, chunk);
          expect(events.length, `${path} ${chunk}`).toBe(c.good);
          expect(error?.offset, `${path} ${chunk}`).toBe(offset);
          expect(error?.message, `${path} ${chunk}`).toMatch(c.fault);
        }
      }
    });
  }
});

describe.skipIf(!hasWasmToolchain)('kernels.wasm is the build of native/prophesee/prophesee.c (skipped without clang and wasm-ld)', () => {
  it('a fresh build with native/prophesee/build.sh matches the committed module byte for byte', () => {
    expectCommittedWasm('prophesee', 'src/formats/prophesee/kernels.wasm');
  });
});
