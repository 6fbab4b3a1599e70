import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.ts';
import type { EventBatch } from '../../../src/events/eventBatch.ts';
import { formatByName } from '../../../src/formats/registry.ts';
import type { FormatModule } from '../../../src/formats/types.ts';
import { readAllEvents } from '../../../src/sources/readAllEvents.ts';
import { fieldDigests } from '../../helpers/digests.ts';
import { bundled } from '../../helpers/shared.ts';
import { encodeBatches } from '../nmnist/codecHarness.ts';

// Every bundled real file of these formats → every format written here → back: identical per-field digests.
const SOURCES = [
  { file: 'nmnist/tonic_sample_nmnist.bin', width: 34, height: 34 },
  { file: 'nmnist/slayerPytorch_NMNIST_1.bs2', width: 34, height: 34 },
  { file: 'es/loris_test_TRANSCODED_from_NCARS_obj_004397.es', width: 54, height: 239 },
  { file: 'npy/expelliarmus_NCARS_obj_004397_td_ref.npy', width: 64, height: 64 },
  { file: 'npy/expelliarmus_evt3_pedestrians_5000ev_ref.npy', width: 1280, height: 720 },
];
const TARGETS: [string, string][] = [['nmnist', '.bin'], ['es', '.es'], ['csv', '.csv'], ['npy', '.npy'], ['hdf5', '.h5']];
const dir = mkdtempSync(join(tmpdir(), 'spikeflow-rt-'));

async function write(format: FormatModule, path: string, events: EventBatch, width: number, height: number): Promise<void> {
  if (format.writeFile) {
    await format.writeFile(path, (async function* () { yield events; })(), { width, height });
  } else {
    writeFileSync(path, encodeBatches(format, [events], { width, height }));
  }
}

describe('round trips through every encoder of this family', () => {
  for (const source of SOURCES) {
    for (const [name, ext] of TARGETS) {
      it(`${source.file} → ${name} → back`, async () => {
        const { events } = await readAllEvents(bundled(source.file), { width: source.width, height: source.height });
        const path = join(dir, `${source.file.replace(/\W/g, '_')}${ext}`);
        const format = formatByName(name);
        if (name === 'nmnist' && source.width > 256) {
          // x up to 1279 cannot be held in one byte: the encoder says so instead of writing a wrong file.
          await expect(write(format, path, events, source.width, source.height)).rejects.toThrow(ConfigError);
          await expect(write(format, path, events, source.width, source.height)).rejects.toThrow(/width <= 256/);
          return;
        }
        await write(format, path, events, source.width, source.height);
        const back = await readAllEvents(path, { format: name, width: source.width, height: source.height });
        expect(back.events.length).toBe(events.length);
        expect(fieldDigests(back.events)).toEqual(fieldDigests(events));
      });
    }
  }
});
