import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.ts';
import type { EventBatch } from '../../../src/events/eventBatch.ts';
import { Aedat2Decoder } from '../../../src/formats/aedat2/decoder.ts';
import { Aedat2Encoder } from '../../../src/formats/aedat2/encoder.ts';
import { Aedat3Decoder } from '../../../src/formats/aedat3/decoder.ts';
import { Aedat3Encoder } from '../../../src/formats/aedat3/encoder.ts';
import { Aedat4Decoder } from '../../../src/formats/aedat4/decoder.ts';
import { Aedat4Encoder } from '../../../src/formats/aedat4/encoder.ts';
import type { EventDecoder, EventEncoder } from '../../../src/formats/types.ts';
import { readAllEvents } from '../../../src/sources/readAllEvents.ts';
import { fieldDigests } from '../../helpers/digests.ts';
import { hasShared, NO_SHARED, sharedFile } from '../../helpers/shared.ts';
import { decodeInChunks } from './decodeChunks.ts';

/** Real recordings of every other format (their own decoders read them; facts are checked in their tests). */
const REAL = [
  'evt2/expelliarmus_evt2_sample.raw',
  'evt2/expelliarmus_evt2_sparklers.raw',
  'evt3/expelliarmus_evt3_sample.raw',
  'evt3/expelliarmus_evt3_pedestrians_5000ev.raw',
  'dat/expelliarmus_NCARS_obj_004397_td.dat',
  'nmnist/tonic_sample_nmnist.bin',
  'es/SYNTHETIC_event_stream_examples_dvs.es',
  'es/loris_test_TRANSCODED_from_NCARS_obj_004397.es',
];

const writers: Record<string, { encoder: (e: EventBatch) => EventEncoder; decoder: () => EventDecoder }> = {
  aedat4: { encoder: (e) => new Aedat4Encoder({ width: e.width, height: e.height }), decoder: () => new Aedat4Decoder({ file: 'rt.aedat4' }) },
  aedat3: { encoder: (e) => new Aedat3Encoder({ width: e.width, height: e.height }), decoder: () => new Aedat3Decoder({ file: 'rt.aedat' }) },
  aedat2: { encoder: (e) => new Aedat2Encoder({ width: e.width, height: e.height }), decoder: () => new Aedat2Decoder({ file: 'rt.aedat' }) },
};

/** Whether AEDAT 2.0 can hold the events: 32-bit first time stamp, DAVIS address bits (x < 1024, y < 512). */
function aedat2Holds(e: EventBatch): boolean {
  return e.width <= 1024 && e.height <= 512 && (e.length === 0 || (e.t[0]! >= 0 && e.t[0]! < 2 ** 32));
}

describe.skipIf(!hasShared)('real recordings of other formats → AEDAT 4.0 / 3.1 / 2.0 → back', () => {
  for (const relative of REAL) {
    it(`${relative}`, async () => {
      const { events } = await readAllEvents(sharedFile(`recordings/${relative}`));
      expect(events.length).toBeGreaterThan(0);
      const digests = fieldDigests(events);
      for (const [name, w] of Object.entries(writers)) {
        if (name === 'aedat2' && !aedat2Holds(events)) {
          expect(() => w.encoder(events).encode(events), `${name} cannot hold ${relative}`).toThrow(ConfigError);
          continue;
        }
        const encoder = w.encoder(events);
        const bytes = new Uint8Array(Buffer.concat([encoder.header(), encoder.encode(events), encoder.end()]));
        const back = decodeInChunks(w.decoder, bytes, 1 << 20);
        expect(fieldDigests(back), `${relative} via ${name}`).toEqual(digests);
        expect([back.width, back.height]).toEqual([events.width, events.height]);
      }
    });
  }
});
describe.skipIf(hasShared)('real recordings of other formats → AEDAT', () => {
  it.skip(NO_SHARED, () => undefined);
});
