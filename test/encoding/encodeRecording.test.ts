import { lastValueFrom, reduce } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { encode } from '../../src/encoding/encode.ts';
import { fromFile } from '../../src/sources/fromFile.ts';
import { bundled } from '../helpers/shared.ts';

describe('encode on a bundled recording (NCARS DAT: 4,407 events, OFF 2,736, ON 1,671)', () => {
  it('gives one spike per event, ON in channel 1, indices on the pooled grid, in time order', async () => {
    const totals = await lastValueFrom(
      fromFile(bundled('dat/expelliarmus_NCARS_obj_004397_td.dat'), { chunkSize: 4096 }).pipe(
        encode({ pool: 4, polarity: 'separate' }),
        reduce(
          (acc, s) => {
            for (let i = 0; i < s.length; i++) {
              if (s.t[i] < acc.lastT || s.t[i] >= s.until) acc.orderErrors++;
              acc.lastT = s.t[i];
              acc.maxNeuron = Math.max(acc.maxNeuron, s.neuron[i]);
              if (s.neuron[i] >= acc.plane) acc.on++;
            }
            acc.spikes += s.length;
            acc.lastUntil = s.until;
            return acc;
          },
          // The DAT header gives no size: the decoder uses the ATIS 304 × 240, so cells are 76 × 60 = 4560 per channel.
          { spikes: 0, on: 0, lastT: -1, orderErrors: 0, maxNeuron: 0, plane: 76 * 60, lastUntil: 0 },
        ),
      ),
    );
    expect(totals.spikes).toBe(4407);
    expect(totals.on).toBe(1671);
    // x <= 53, y <= 60 → cells x <= 13, y <= 15: the largest ON index is at most 4560 + 15 * 76 + 13.
    expect(totals.maxNeuron).toBeLessThanOrEqual(4560 + 15 * 76 + 13);
    expect(totals.orderErrors).toBe(0);
    expect(totals.lastUntil).toBe(99_938);
  });
});
