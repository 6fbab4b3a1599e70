import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../src/errors.ts';
import { makeBatch } from '../../../src/events/eventBatch.ts';
import { concatBytes } from '../../../src/formats/concatBytes.ts';
import { formatByName } from '../../../src/formats/registry.ts';
import { decodeBytes, encodeBytes, fields, KERNEL_PATHS, onKernelPath } from './support.ts';

const TWO_34 = 2 ** 34;
const TIME_HIGH = (h: number) => (0x80000000 | h) >>> 0;
const CD = (p: number, low: number, x: number, y: number) => ((p << 28) | (low << 22) | (x << 11) | y) >>> 0;
const TRIGGER = (low: number, id: number, value: number) => (0xa0000000 | (low << 22) | (id << 8) | value) >>> 0;

/** An EVT 2.0 file (64x8) of the given words. */
function evt2File(words: number[]): Uint8Array {
  const header = formatByName('evt2').createEncoder!({ width: 64, height: 8 }).header();
  return concatBytes([header, new Uint8Array(Uint32Array.from(words).buffer)]);
}

// A stream that runs past the 34-bit time (4.77 h) with its TIME_HIGH field starting over at 0.
const acrossTheWrap = evt2File([
  TIME_HIGH(0x0ffffffe),
  CD(1, 5, 1, 1),
  TIME_HIGH(0x0fffffff),
  CD(0, 63, 2, 1),
  TIME_HIGH(0),
  CD(1, 0, 3, 2),
  TIME_HIGH(1),
  TRIGGER(3, 2, 1),
  // Eight CD words in a row: the WebAssembly loop takes runs of four at once.
  ...Array.from({ length: 8 }, (_, i) => CD(i % 2, 10 + i, 4 + i, 3)),
  TIME_HIGH(5),
  CD(0, 1, 20, 7),
]);
const expectedTimes = [
  0x0ffffffe * 64 + 5,
  TWO_34 - 1,
  TWO_34,
  ...Array.from({ length: 8 }, (_, i) => TWO_34 + 64 + 10 + i),
  TWO_34 + 5 * 64 + 1,
];

for (const path of KERNEL_PATHS) {
  describe(`EVT 2.0 time past 2^34 µs (${path.name})`, () => {
    onKernelPath(path.wasm);

    it('a TIME_HIGH that falls by more than half the range is a wrap: 2^34 is added, whatever the chunking', () => {
      for (const chunk of [1, 3, 4, 7, 1 << 20]) {
        const events = decodeBytes('evt2', acrossTheWrap, chunk);
        expect(Array.from(events.t), `chunk ${chunk}`).toEqual(expectedTimes);
        expect(Array.from(events.x), `chunk ${chunk}`).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 20]);
        expect(Array.from(events.triggers!.t), `chunk ${chunk}`).toEqual([TWO_34 + 64 + 3]);
      }
    });

    it('a fall of exactly half the range is not a wrap but a DecodeError at the TIME_HIGH word; one more 64 µs is a wrap', () => {
      const half = evt2File([TIME_HIGH(0x0fffffff), CD(1, 0, 1, 1), TIME_HIGH(0x07ffffff), CD(1, 0, 2, 1)]);
      let error: unknown;
      try {
        decodeBytes('evt2', half, 5);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(DecodeError);
      const headerBytes = half.length - 16;
      expect((error as DecodeError).offset).toBe(headerBytes + 8);
      expect((error as DecodeError).message).toMatch(/TIME_HIGH/);
      const overHalf = evt2File([TIME_HIGH(0x0fffffff), CD(1, 0, 1, 1), TIME_HIGH(0x07fffffe), CD(1, 0, 2, 1)]);
      expect(Array.from(decodeBytes('evt2', overHalf, 5).t)).toEqual([0x0fffffff * 64, TWO_34 + 0x07fffffe * 64]);
    });

    it('the encoder writes times past 2^34 and gaps longer than half the range; they decode to the same events', () => {
      const rows = [
        [5, 1, 1, 1],
        [TWO_34 - 1, 2, 1, 0],
        [TWO_34, 3, 2, 1],
        [TWO_34 + 100, 4, 2, 0],
        // A gap of 2 loops and more: a reader alone could not tell it from a wrap.
        [3 * TWO_34 + 7, 5, 3, 1],
        [3 * TWO_34 + 7, 6, 3, 1],
        [5 * TWO_34 + 2 ** 33 + 9, 7, 4, 0],
      ];
      const n = rows.length;
      const events = makeBatch(
        { width: 64, height: 8 },
        Float64Array.from(rows, (r) => r[0]!),
        Uint16Array.from(rows, (r) => r[1]!),
        Uint16Array.from(rows, (r) => r[2]!),
        Uint8Array.from(rows, (r) => r[3]!),
        { t: Float64Array.of(TWO_34 + 50), id: Uint8Array.of(3), value: Uint8Array.of(1), length: 1 },
      );
      expect(events.length).toBe(n);
      const bytes = encodeBytes('evt2', events);
      for (const chunk of [3, 1 << 20]) {
        expect(fields(decodeBytes('evt2', bytes, chunk))).toEqual(fields(events));
      }
    });
  });
}
