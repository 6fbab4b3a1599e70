import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { convertEventFile } from '../../src/cli/commands/convert.ts';
import { readAllEvents } from '../../src/sources/readAllEvents.ts';
import { fieldDigests } from '../helpers/digests.ts';
import { bundled, hasShared, NO_SHARED, sharedFile } from '../helpers/shared.ts';
import { runCli } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'spikeflow-convert-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const spikeflow = (...args: string[]) => runCli(args);

describe('spikeflow convert', () => {
  it('converts by extension or --to, event for event, and the result converts back', async () => {
    const input = bundled('evt2/expelliarmus_evt2_sparklers.raw');
    const original = await readAllEvents(input);
    const asDat = join(dir, 'sparklers.dat');
    const run = spikeflow('convert', input, asDat);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/wrote 521252 events \(640x480\) from evt2 to dat/);
    const asEvt3 = join(dir, 'sparklers-again.raw');
    const summary = await convertEventFile(asDat, asEvt3, { to: 'evt3', chunkSize: 65537 });
    expect(summary).toMatchObject({ from: 'dat', to: 'evt3', events: 521252 });
    const back = await readAllEvents(asEvt3);
    expect(back.format).toBe('evt3');
    expect([back.events.width, back.events.height]).toEqual([640, 480]);
    expect(fieldDigests(back.events)).toEqual(fieldDigests(original.events));
  });

  it('writes through a format\'s writeFile (HDF5) as well as through encoders', async () => {
    const input = bundled('dat/expelliarmus_NCARS_obj_004397_td.dat');
    const out = join(dir, 'ncars.h5');
    expect(await convertEventFile(input, out)).toMatchObject({ from: 'dat', to: 'hdf5', events: 4407 });
    const [original, back] = [await readAllEvents(input), await readAllEvents(out)];
    expect(back.format).toBe('hdf5');
    expect(fieldDigests(back.events)).toEqual(fieldDigests(original.events));
  });

  it('says clearly when the target cannot hold the events, and leaves no file behind', async () => {
    const input = bundled('evt2/expelliarmus_evt2_sparklers.raw');
    const out = join(dir, 'too-wide.evt2');
    // A 64-column input pretended onto a 4096-column sensor: EVT 2.0's 11-bit x cannot address it.
    await expect(convertEventFile(input, out, { to: 'evt2', width: 4096, height: 480 })).rejects.toThrow(
      /cannot write .* as evt2: the format cannot hold its events: width: 4096 is not allowed \(1..2048/,
    );
    expect(readdirSync(dir).filter((f) => f.startsWith('too-wide'))).toEqual([]);
    const noFormat = spikeflow('convert', input, join(dir, 'x.unknownext'));
    expect(noFormat.status).toBe(1);
    expect(noFormat.stderr).toMatch(/--to: .* is not allowed \(a format name: the extension of x.unknownext names no format\)/);
    await expect(convertEventFile(input, join(dir, 'x.raw'), { to: 'mp4' })).rejects.toThrow(
      /format: "mp4" is not allowed \(one of evt2, evt21, evt3, dat/,
    );
    expect(existsSync(join(dir, 'x.raw'))).toBe(false);
  });
});

describe.skipIf(!hasShared)('convert keeps the triggers of the DERIVED EVT 3.0 payload', () => {
  if (!hasShared) it.skip(NO_SHARED, () => undefined);
  it('evt3 → evt2 → evt21 keeps events and both triggers', async () => {
    const input = sharedFile('recordings/evt3/DERIVED_event_camera_codecs_evt3_trigger_payload.evt3');
    const a = join(dir, 'trig.evt2');
    const b = join(dir, 'trig.evt21');
    expect((await convertEventFile(input, a)).triggers).toBe(2);
    await convertEventFile(a, b);
    const [original, result] = [await readAllEvents(input), await readAllEvents(b)];
    expect(result.format).toBe('evt21');
    expect(fieldDigests(result.events)).toEqual(fieldDigests(original.events));
    expect(Array.from(result.events.triggers!.t)).toEqual([14547491, 14549491]);
  });
});
