import { describe, expect, it } from 'vitest';
import { eventFileFacts } from '../../src/cli/commands/info.ts';
import { bundled, hasShared, NO_SHARED, sharedFile } from '../helpers/shared.ts';
import { runCli } from '../helpers/cli.ts';

const spikeflow = (...args: string[]) => runCli(args);

describe('spikeflow info', () => {
  it('--json prints the DESIGN.md object for each bundled Prophesee recording', async () => {
    const expected = {
      'evt2/expelliarmus_evt2_sparklers.raw': {
        format: 'evt2', width: 640, height: 480, events: 521252, tFirst: 913716224, tLast: 913812095, on: 185861, off: 335391, triggers: 0,
      },
      'evt3/expelliarmus_evt3_pedestrians_5000ev.raw': {
        format: 'evt3', width: 1280, height: 720, events: 5000, tFirst: 5840504, tLast: 5885714, on: 2894, off: 2106, triggers: 0,
      },
      'dat/expelliarmus_NCARS_obj_004397_td.dat': {
        format: 'dat', width: 304, height: 240, events: 4407, tFirst: 0, tLast: 99937, on: 1671, off: 2736, triggers: 0,
      },
    };
    // One run through the real CLI (spawning tsx is slow), the others through the function it prints.
    const run = spikeflow('info', '--json', bundled('evt2/expelliarmus_evt2_sparklers.raw'));
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.endsWith('}\n')).toBe(true);
    const printed = JSON.parse(run.stdout);
    expect(Object.keys(printed)).toEqual(['format', 'width', 'height', 'events', 'tFirst', 'tLast', 'on', 'off', 'triggers']);
    expect(printed).toEqual(expected['evt2/expelliarmus_evt2_sparklers.raw']);
    for (const [file, facts] of Object.entries(expected)) {
      expect(await eventFileFacts(bundled(file)), file).toEqual(facts);
    }
  });

  it('prints a readable table without --json, honours --width/--height, and fails clearly', () => {
    const table = spikeflow('info', bundled('dat/expelliarmus_NCARS_obj_004397_td.dat'), '--width', '54', '--height', '61');
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/^format\s+dat$/m);
    expect(table.stdout).toMatch(/^geometry\s+54 x 61$/m);
    expect(table.stdout).toMatch(/^events\s+4,407$/m);
    expect(table.stdout).toMatch(/^ON\s+1,671$/m);
    expect(table.stdout).toMatch(/^time\s+0 \.\. 99937 µs/m);

    const bad = spikeflow('info', '--json', bundled('dat/expelliarmus_NCARS_obj_004397_td.dat'), '--width', 'wide');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/--width: "wide" is not allowed \(an integer in 1..65536\)/);
  });

  it('a missing file is a DecodeError naming it', async () => {
    await expect(eventFileFacts('/nonexistent.raw')).rejects.toThrow(/^\/nonexistent.raw: at byte 0: cannot open/);
  });

  it('--format reads a file as the named format', async () => {
    const facts = await eventFileFacts(bundled('evt3/expelliarmus_evt3_pedestrians_5000ev.raw'), { format: 'evt3' });
    expect(facts.events).toBe(5000);
    await expect(eventFileFacts(bundled('evt3/expelliarmus_evt3_pedestrians_5000ev.raw'), { format: 'dat' })).rejects.toThrow(
      /at byte \d+: /,
    );
  });
});

describe.skipIf(!hasShared)('spikeflow info on every Prophesee recording in ../shared', () => {
  if (!hasShared) it.skip(NO_SHARED, () => undefined);
  it('counts, first/last times, ON/OFF and triggers', async () => {
    const expected: Record<string, [string, number, number, number, number, number, number, number]> = {
      'evt2/expelliarmus_evt2_sample.raw': ['evt2', 640, 539481, 1317888, 1367888, 367855, 171626, 0],
      'evt2/expelliarmus_evt2_sparklers.raw': ['evt2', 640, 521252, 913716224, 913812095, 185861, 335391, 0],
      'evt3/expelliarmus_evt3_sample.raw': ['evt3', 1280, 219596, 11718656, 11727457, 115532, 104064, 0],
      'evt3/expelliarmus_evt3_pedestrians_5000ev.raw': ['evt3', 1280, 5000, 5840504, 5885714, 2894, 2106, 0],
      'evt3/DERIVED_event_camera_codecs_evt3_trigger_payload.evt3': ['evt3', 1280, 82469, 14224870, 15476187, 41439, 41030, 2],
      'dat/expelliarmus_NCARS_obj_004397_td.dat': ['dat', 304, 4407, 0, 99937, 1671, 2736, 0],
      'dat/tonic_sample_ncars.dat': ['dat', 304, 2009, 0, 99952, 1350, 659, 0],
    };
    for (const [file, [format, width, events, tFirst, tLast, on, off, triggers]] of Object.entries(expected)) {
      const facts = await eventFileFacts(sharedFile(`recordings/${file}`));
      expect({ file, ...facts }).toMatchObject({ file, format, width, events, tFirst, tLast, on, off, triggers });
    }
  });
});
