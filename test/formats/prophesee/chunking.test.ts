import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sliceBatch, type EventBatch } from '../../../src/events/eventBatch.ts';
import { createEvt21Decoder } from '../../../src/formats/evt21/index.ts';
import { bundled } from '../../helpers/shared.ts';
import { decodeBytes, encodeBytes, fields, KERNEL_PATHS, onKernelPath } from './support.ts';

const PRIME = 7919;
const DEFAULT = 1 << 20;

function headerLength(bytes: Uint8Array): number {
  let o = 0;
  while (bytes[o] === 0x25) o = bytes.indexOf(0x0a, o) + 1;
  return o;
}

/** A small prefix of a recording (header + whole words) so that 1-byte chunks stay fast. */
function prefix(bytes: Uint8Array, dataBytes: number, wordBytes: number, preamble = 0): Uint8Array {
  const start = headerLength(bytes) + preamble;
  return bytes.subarray(0, start + dataBytes - (dataBytes % wordBytes));
}

const sparklers = new Uint8Array(readFileSync(bundled('evt2/expelliarmus_evt2_sparklers.raw')));
const pedestrians = new Uint8Array(readFileSync(bundled('evt3/expelliarmus_evt3_pedestrians_5000ev.raw')));
const ncars = new Uint8Array(readFileSync(bundled('dat/expelliarmus_NCARS_obj_004397_td.dat')));
const pedestrianEvents = decodeBytes('evt3', pedestrians, DEFAULT);

// Chunk sizes 1..64 run on about 12 kB of each recording (whole words after the header) to stay fast; the
// prime and default sizes run on the whole file.
const SMALL = 12000;
const someEvents = sliceBatch(pedestrianEvents, 0, 1500);
const cases: { name: string; format: string | Parameters<typeof decodeBytes>[0]; bytes: Uint8Array; small: Uint8Array; minEvents: number }[] = [
  { name: 'EVT 2.0 (sparklers)', format: 'evt2', bytes: sparklers, small: prefix(sparklers, SMALL, 4), minEvents: 2900 },
  { name: 'EVT 3.0 (pedestrians)', format: 'evt3', bytes: pedestrians, small: prefix(pedestrians, SMALL, 2), minEvents: 1500 },
  { name: 'DAT (NCARS)', format: 'dat', bytes: ncars, small: prefix(ncars, SMALL, 8, 2), minEvents: 1499 },
  {
    name: 'EVT 2.1 current (pedestrians re-encoded)',
    format: 'evt21',
    bytes: encodeBytes('evt21', pedestrianEvents),
    small: encodeBytes('evt21', someEvents),
    minEvents: 1500,
  },
  {
    name: 'EVT 2.1 legacy (pedestrians re-encoded)',
    format: (o) => createEvt21Decoder({ ...o, layout: 'legacy' }),
    bytes: encodeBytes('evt21', pedestrianEvents, { layout: 'legacy' }),
    small: encodeBytes('evt21', someEvents, { layout: 'legacy' }),
    minEvents: 1500,
  },
];

function sameEvents(a: EventBatch, b: EventBatch): boolean {
  if (a.length !== b.length || a.width !== b.width || a.height !== b.height) return false;
  for (let i = 0; i < a.length; i++) {
    if (a.t[i] !== b.t[i] || a.x[i] !== b.x[i] || a.y[i] !== b.y[i] || a.p[i] !== b.p[i]) return false;
  }
  return true;
}

for (const path of KERNEL_PATHS) {
  describe(path.name, () => {
    onKernelPath(path.wasm);

    describe('decoding is identical for every chunking of the input', () => {
      for (const c of cases) {
        it(`${c.name}: chunk sizes 1..64 on ${SMALL} bytes, ${PRIME} and ${DEFAULT} on the whole file`, () => {
          const reference = decodeBytes(c.format, c.small, DEFAULT);
          expect(reference.length).toBeGreaterThanOrEqual(c.minEvents);
          for (let size = 1; size <= 64; size++) {
            const got = decodeBytes(c.format, c.small, size);
            // A cheap comparison first; the full one (readable diff) only when they differ.
            if (!sameEvents(got, reference)) expect({ size, ...fields(got) }).toEqual({ size, ...fields(reference) });
          }
          const whole = decodeBytes(c.format, c.bytes, DEFAULT);
          const prime = decodeBytes(c.format, c.bytes, PRIME);
          expect(whole.length).toBeGreaterThan(reference.length);
          if (!sameEvents(prime, whole)) expect(fields(prime)).toEqual(fields(whole));
          // The small input is a prefix: its events are the first ones of the whole file.
          expect(sameEvents(sliceBatch(whole, 0, reference.length), reference)).toBe(true);
        });
      }

      it('the whole sparklers file gives the same events in 4099-byte chunks as in one piece', () => {
        const whole = decodeBytes('evt2', sparklers, sparklers.length);
        const chunked = decodeBytes('evt2', sparklers, 4099);
        expect(chunked.length).toBe(521252);
        expect(sameEvents(chunked, whole)).toBe(true);
      });

      it('EVT 2.1: the legacy layout is detected from the header, and differs from the current one', () => {
        const events = sliceBatch(pedestrianEvents, 0, 500);
        const legacy = encodeBytes('evt21', events, { layout: 'legacy' });
        expect(fields(decodeBytes('evt21', legacy, DEFAULT))).toEqual(fields(events));
        const current = encodeBytes('evt21', events);
        expect(Buffer.compare(legacy, current)).not.toBe(0);
        // Read with the wrong layout, the TIME_HIGH words are never found: nothing decodes.
        const wrong = decodeBytes((o) => createEvt21Decoder({ ...o, layout: 'current' }), legacy, DEFAULT);
        expect(wrong.length).toBe(0);
      });
    });
  });
}
