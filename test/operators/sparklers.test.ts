import { existsSync } from 'node:fs';
import { lastValueFrom, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { backgroundActivity } from '../../src/operators/backgroundActivity.ts';
import { refractory } from '../../src/operators/refractory.ts';
import { fromFile } from '../../src/sources/fromFile.ts';
import { readAllEvents } from '../../src/sources/readAllEvents.ts';
import { bundled } from '../helpers/shared.ts';
import { joined, rowsOf } from './batches.ts';
import { referenceBackgroundActivity, referenceRefractory } from './reference.ts';

// The bundled sparklers EVT2 recording (521 252 events, 640 × 480, 96 ms), read by the real file source.
const sparklers = bundled('evt2/expelliarmus_evt2_sparklers.raw');
const geometry = { width: 640, height: 480 };
const present = existsSync(sparklers);

describe.skipIf(!present)(`filters on a file source${present ? '' : ` (${sparklers} is absent)`}`, () => {
  it('refractory then background activity equal the plain rules, chained, over 64 KiB chunks', async () => {
    const { events } = await readAllEvents(sparklers, geometry);
    expect(events.length).toBe(521_252);
    const afterRefractory = referenceRefractory(rowsOf(events), 500);
    const expected = referenceBackgroundActivity(afterRefractory, 640, 480, 2000);
    const out = await lastValueFrom(
      fromFile(sparklers, { ...geometry, chunkSize: 65_536 }).pipe(
        refractory({ periodUs: 500 }),
        backgroundActivity({ windowUs: 2000 }),
        toArray(),
      ),
    );
    expect(out.length).toBeGreaterThan(1);
    expect(rowsOf(joined(out, geometry))).toEqual(expected);
    expect([afterRefractory.length, expected.length]).toEqual([107_951, 102_047]);
  });

  it('stops reading the file when the consumer has what it needs', async () => {
    const first = await lastValueFrom(
      fromFile(sparklers, { ...geometry, chunkSize: 65_536 }).pipe(backgroundActivity({ windowUs: 2000 }), take(1)),
    );
    expect(first.width).toBe(640);
    expect(first.length).toBeGreaterThan(0);
  });
});
