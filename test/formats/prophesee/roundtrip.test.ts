import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.ts';
import { makeBatch, sliceBatch, type EventBatch } from '../../../src/events/eventBatch.ts';
import { formatByName } from '../../../src/formats/registry.ts';
import { readAllEvents } from '../../../src/sources/readAllEvents.ts';
import { fieldDigests } from '../../helpers/digests.ts';
import { bundled, hasShared, NO_SHARED, sharedFile } from '../../helpers/shared.ts';
import { decodeBytes, encodeBytes, fields } from './support.ts';

const ENCODERS = ['evt2', 'evt21', 'evt3', 'dat'];

function batch(width: number, height: number, rows: number[][], triggers?: number[][]): EventBatch {
  return makeBatch(
    { width, height },
    Float64Array.from(rows.map((r) => r[0]!)),
    Uint16Array.from(rows.map((r) => r[1]!)),
    Uint16Array.from(rows.map((r) => r[2]!)),
    Uint8Array.from(rows.map((r) => r[3]!)),
    triggers && {
      t: Float64Array.from(triggers.map((r) => r[0]!)),
      id: Uint8Array.from(triggers.map((r) => r[1]!)),
      value: Uint8Array.from(triggers.map((r) => r[2]!)),
      length: triggers.length,
    },
  );
}

async function expectRoundTrips(path: string) {
  const { events } = await readAllEvents(path);
  const digests = fieldDigests(events);
  for (const format of ENCODERS) {
    const bytes = encodeBytes(format, events);
    const back = decodeBytes(format, bytes, 65536);
    expect({ format, width: back.width, height: back.height, ...fieldDigests(back) }).toEqual({
      format,
      width: events.width,
      height: events.height,
      ...digests,
    });
  }
}

describe('decode → encode → decode gives identical events (per-field digests)', () => {
  it('EVT 2.0 sparklers through every Prophesee encoder', () => expectRoundTrips(bundled('evt2/expelliarmus_evt2_sparklers.raw')));
  it('EVT 3.0 pedestrians through every Prophesee encoder', () => expectRoundTrips(bundled('evt3/expelliarmus_evt3_pedestrians_5000ev.raw')));
  it('DAT NCARS through every Prophesee encoder', () => expectRoundTrips(bundled('dat/expelliarmus_NCARS_obj_004397_td.dat')));

  it('the EVT 3.0 encoder uses VECT_BASE_X/VECT_12/VECT_8 where runs of events allow', async () => {
    const { events } = await readAllEvents(bundled('evt2/expelliarmus_evt2_sparklers.raw'));
    const bytes = encodeBytes('evt3', events);
    const data = Buffer.from(bytes).indexOf('% end\n') + 6;
    const counts = new Map<number, number>();
    for (const w of new Uint16Array(bytes.slice(data).buffer)) counts.set(w >>> 12, (counts.get(w >>> 12) ?? 0) + 1);
    expect(counts.get(0x3)).toBe(13183); // VECT_BASE_X
    expect(counts.get(0x4)).toBe(5158); // VECT_12
    expect(counts.get(0x5)).toBe(9547); // VECT_8
    expect(counts.get(0x2)).toBe(474681); // ADDR_X: the other 46,571 events came in vectors
    expect(bytes.length).toBeLessThan(2109142); // smaller than the EVT 2.0 original
  });

  it('triggers survive EVT 2.0, 2.1 and 3.0; times beyond EVT 3.0\'s 24-bit loop and long gaps too', () => {
    const rows = [
      [5, 1, 1, 1],
      [5, 2, 1, 1],
      [5, 3, 1, 1],
      [5, 4, 1, 1],
      [4095, 7, 2, 0],
      [16777215, 8, 3, 1],
      [16777216, 9, 3, 1],
      [3 * 16777216 + 12345, 10, 4, 0],
      [3 * 16777216 + 12345, 12, 4, 0],
      [3 * 16777216 + 12345, 20, 4, 0],
      [2 ** 33 + 77, 0, 0, 1],
    ];
    const events = batch(64, 8, rows, [
      [5, 0, 1],
      [16777300, 3, 0],
      [2 ** 33 + 77, 1, 1],
    ]);
    for (const format of ['evt2', 'evt21', 'evt3']) {
      const back = decodeBytes(format, encodeBytes(format, events), 3);
      expect({ format, ...fields(back) }).toEqual({ format, ...fields(events) });
    }
    // DAT has no trigger records, and its 32-bit time holds gaps below 2^31 µs only.
    const datEvents = sliceBatch(events, 0, 10);
    const back = decodeBytes('dat', encodeBytes('dat', datEvents), 3);
    expect(fields(back)).toEqual({ ...fields(datEvents), triggers: undefined });
  });

  it('events split over many batches encode like one batch', () => {
    const rows = Array.from({ length: 300 }, (_, i) => [i * 37, (i * 7) % 64, (i * 3) % 16, i % 2]);
    const events = batch(64, 16, rows);
    for (const format of ENCODERS) {
      const encoder = formatByName(format).createEncoder!({ width: 64, height: 16 });
      const parts = [encoder.header()];
      for (let s = 0; s < 300; s += 41) parts.push(encoder.encode(sliceBatch(events, s, Math.min(300, s + 41))));
      parts.push(encoder.end());
      const back = decodeBytes(format, Buffer.concat(parts), 1000);
      expect({ format, ...fields(back) }).toEqual({ format, ...fields(events) });
    }
  });
});

describe('encoders reject what their format cannot hold with a ConfigError naming value and range', () => {
  for (const format of ENCODERS) {
    it(format, () => {
      const encoder = () => formatByName(format).createEncoder!({ width: 640, height: 480 });
      expect(() => encoder().encode(batch(640, 480, [[10, 1, 1, 1], [9, 1, 1, 1]]))).toThrow(
        /t\[1\]: 9 is not allowed \(>= 10 µs: events must be in time order/,
      );
      const e = encoder();
      e.encode(batch(640, 480, [[10, 1, 1, 1]]));
      expect(() => e.encode(batch(640, 480, [[3, 1, 1, 1]]))).toThrow(/t\[0\]: 3 is not allowed \(>= 10 µs/);
      expect(() => encoder().encode(batch(640, 480, [[10, 640, 1, 1]]))).toThrow(
        /x\[0\]: 640 is not allowed \(0..639: x must be smaller than width=640\)/,
      );
      expect(() => encoder().encode(batch(640, 480, [[10, 1, 480, 1]]))).toThrow(
        /y\[0\]: 480 is not allowed \(0..479: y must be smaller than height=480\)/,
      );
      expect(() => encoder().encode(batch(640, 480, [[10, 1, 1, 2]]))).toThrow(/p\[0\]: 2 is not allowed/);
      expect(() => encoder().encode(batch(640, 480, [[-1, 1, 1, 1]]))).toThrow(ConfigError);
      expect(() => encoder().encode(batch(640, 480, [[1.5, 1, 1, 1]]))).toThrow(/integer µs/);
    });
  }

  it('field limits: 11-bit x/y in EVT formats, 34-bit time in EVT 2.1 (EVT 2.0 wraps it), 4-bit trigger ids in EVT 3.0, DAT time gaps', () => {
    for (const format of ['evt2', 'evt21', 'evt3']) {
      expect(() => formatByName(format).createEncoder!({ width: 4096, height: 480 })).toThrow(
        /width: 4096 is not allowed \(1..2048: EVT .* cannot address more columns\)/,
      );
    }
    for (const format of ['evt21']) {
      expect(() => formatByName(format).createEncoder!({ width: 4, height: 4 }).encode(batch(4, 4, [[2 ** 34, 0, 0, 0]]))).toThrow(
        /t: 17179869184 is not allowed \(integer µs in 0..17179869183/,
      );
    }
    const evt3 = formatByName('evt3').createEncoder!({ width: 4, height: 4 });
    expect(() => evt3.encode(batch(4, 4, [], [[1, 16, 0]]))).toThrow(/triggers.id\[0\]: 16 is not allowed \(0..15\)/);
    const dat = formatByName('dat').createEncoder!({ width: 4, height: 4 });
    expect(() => dat.encode(batch(4, 4, [[0, 0, 0, 0], [2 ** 31, 0, 0, 0]]))).toThrow(/t\[1\]: 2147483648 is not allowed .* gap of 2\^31/);
  });
});

describe.skipIf(!hasShared)('round trips of the larger recordings in ../shared', () => {
  if (!hasShared) it.skip(NO_SHARED, () => undefined);
  it('EVT 3.0 sample', () => expectRoundTrips(sharedFile('recordings/evt3/expelliarmus_evt3_sample.raw')));
  it('EVT 2.0 sample', () => expectRoundTrips(sharedFile('recordings/evt2/expelliarmus_evt2_sample.raw')));
  it('DERIVED EVT 3.0 payload with triggers (kept by the EVT encoders)', async () => {
    const { events } = await readAllEvents(sharedFile('recordings/evt3/DERIVED_event_camera_codecs_evt3_trigger_payload.evt3'));
    for (const format of ['evt2', 'evt21', 'evt3']) {
      const back = decodeBytes(format, encodeBytes(format, events), 1 << 20);
      expect(fieldDigests(back)).toEqual(fieldDigests(events));
      expect(Array.from(back.triggers!.t)).toEqual([14547491, 14549491]);
      expect(Array.from(back.triggers!.value)).toEqual([0, 1]);
    }
  });
});
