import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectFormat, formatByName } from '../../../src/formats/registry.ts';
import { readAllEvents } from '../../../src/sources/readAllEvents.ts';
import { fieldDigests } from '../../helpers/digests.ts';
import { bundled, hasShared, NO_SHARED, sharedFile } from '../../helpers/shared.ts';
import { decodeBytes, facts, readReferenceNpy, KERNEL_PATHS, onKernelPath } from './support.ts';

const SPARKLERS_DIGESTS = {
  t: '9855ba39c1baea316ae623b72466e420df60a7510248391856eb4eaf',
  x: '93fc6cff19b483fd48ca53345c6c1cf05123681d7b7272a1717e9303',
  y: '07cfaef58e5fa71ce9910ed5b88fb7e9fcf71e4a8654cc2c4666f1ae',
  on: 'd2b5e9c4047f4c431937b24cd46c8b504e055372b0ded1df77f0ffa1',
};

for (const path of KERNEL_PATHS) {
  describe(path.name, () => {
    onKernelPath(path.wasm);

    describe('bundled Prophesee recordings reproduce the publishers\' facts', () => {
      it('EVT 2.0 sparklers: 521,252 events, geometry from the plugin name, faery\'s sha3-224 digests', async () => {
        const { events, format, stats } = await readAllEvents(bundled('evt2/expelliarmus_evt2_sparklers.raw'));
        expect(format).toBe('evt2');
        expect([events.width, events.height]).toEqual([640, 480]);
        expect(facts(events)).toEqual({
          events: 521252,
          first: [913716224, 35, 443, 1],
          last: [913812095, 12, 471, 0],
          on: 185861,
          off: 335391,
        });
        expect(fieldDigests(events)).toEqual(SPARKLERS_DIGESTS);
        expect(stats.triggers).toBe(0);
        expect(stats.header.plugin_name).toBe('hal_plugin_gen3_fx3');
      });

      it('EVT 3.0 pedestrians (5000 events) with OpenEB times, x/y/p equal to expelliarmus\'s reference', async () => {
        const { events, format } = await readAllEvents(bundled('evt3/expelliarmus_evt3_pedestrians_5000ev.raw'));
        expect(format).toBe('evt3');
        expect([events.width, events.height]).toEqual([1280, 720]);
        expect(facts(events)).toEqual({
          events: 5000,
          first: [5840504, 707, 297, 0],
          last: [5885714, 598, 260, 0],
          on: 2894,
          off: 2106,
        });
        const ref = readReferenceNpy(readFileSync(bundled('npy/expelliarmus_evt3_pedestrians_5000ev_ref.npy')));
        expect(Array.from(events.x)).toEqual(ref.x);
        expect(Array.from(events.y)).toEqual(ref.y);
        expect(Array.from(events.p)).toEqual(ref.p);
        // expelliarmus's t is later by 4096 µs per TIME_LOW wrap (its bug, see FORMATS.md): not equal, never earlier.
        expect(ref.t[4999]).toBe(5930770);
        const offsets = new Set(ref.t.map((t, i) => t - events.t[i]!));
        for (const d of offsets) expect(d % 4096).toBe(0);
        expect(Math.min(...offsets)).toBe(0);
      });

      it('EVT 3.0 pedestrians: the first 16 events equal evlib\'s OpenEB reference after sorting by (t, x, y, p)', async () => {
        const { events } = await readAllEvents(bundled('evt3/expelliarmus_evt3_pedestrians_5000ev.raw'));
        const head = [];
        for (let i = 0; i < 40; i++) head.push([events.x[i]!, events.y[i]!, events.p[i]!, events.t[i]!]);
        head.sort((a, b) => a[3]! - b[3]! || a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!);
        expect(head.slice(0, 5)).toEqual([
          [707, 297, 0, 5840504],
          [592, 301, 0, 5840507],
          [997, 313, 0, 5840511],
          [150, 331, 1, 5840526],
          [682, 283, 1, 5840526],
        ]);
      });

      it('DAT NCARS: 4,407 events equal to expelliarmus\'s reference NPY field by field', async () => {
        const { events, format } = await readAllEvents(bundled('dat/expelliarmus_NCARS_obj_004397_td.dat'));
        expect(format).toBe('dat');
        expect([events.width, events.height]).toEqual([304, 240]);
        expect(facts(events)).toEqual({ events: 4407, first: [0, 6, 18, 1], last: [99937, 48, 47, 1], on: 1671, off: 2736 });
        const ref = readReferenceNpy(readFileSync(bundled('npy/expelliarmus_NCARS_obj_004397_td_ref.npy')));
        expect(Array.from(events.t)).toEqual(ref.t);
        expect(Array.from(events.x)).toEqual(ref.x);
        expect(Array.from(events.y)).toEqual(ref.y);
        expect(Array.from(events.p)).toEqual(ref.p);
      });

      it('headerless word streams: EVT 3.0 body alone gives the same events; words before the first TIME_HIGH are dropped', () => {
        const raw = new Uint8Array(readFileSync(bundled('evt3/expelliarmus_evt3_pedestrians_5000ev.raw')));
        let header = 0;
        while (raw[header] === 0x25) header = raw.indexOf(0x0a, header) + 1;
        const withHeader = decodeBytes('evt3', raw, 4096);
        const bare = decodeBytes('evt3', raw.subarray(header), 4096);
        expect([bare.width, bare.height]).toEqual([1280, 720]); // OpenEB's default when nothing says otherwise
        expect(fieldDigests(bare)).toEqual(fieldDigests(withHeader));
        // ADDR_Y, TIME_LOW and ADDR_X words before any TIME_HIGH have no time base: OpenEB drops them.
        const early = new Uint8Array(new Uint16Array([0x0005, 0x6010, 0x2007, 0x2008]).buffer);
        const withEarly = decodeBytes('evt3', new Uint8Array([...early, ...raw.subarray(header)]), 4096);
        expect(fieldDigests(withEarly)).toEqual(fieldDigests(withHeader));

        const evt2 = new Uint8Array(readFileSync(bundled('evt2/expelliarmus_evt2_sparklers.raw')));
        let h2 = 0;
        while (evt2[h2] === 0x25) h2 = evt2.indexOf(0x0a, h2) + 1;
        const cdBeforeTime = new Uint8Array(new Uint32Array([0x1000_0805, 0x0000_0001]).buffer);
        const decoder = formatByName('evt2').createDecoder!({ file: 'mem', width: 640, height: 480 });
        const first = decoder.push(new Uint8Array([...cdBeforeTime, ...evt2.subarray(h2, h2 + 4000)]));
        expect(decoder.stats.skipped.beforeTimeHigh).toBe(2);
        expect(first.t[0]).toBe(913716224);
      });

      it('a headerless DAT file (bare records, as OpenEB reads them) gives the same events', () => {
        const bytes = new Uint8Array(readFileSync(bundled('dat/expelliarmus_NCARS_obj_004397_td.dat')));
        let header = 0;
        while (bytes[header] === 0x25) header = bytes.indexOf(0x0a, header) + 1;
        const withHeader = decodeBytes('dat', bytes, 1 << 20);
        const bare = decodeBytes('dat', bytes.subarray(header + 2), 1 << 20, { width: 304, height: 240 });
        expect(bare.length).toBe(4407);
        expect(fieldDigests(bare)).toEqual(fieldDigests(withHeader));
      });

      it('user geometry overrides the header and events outside it are a DecodeError naming file and offset', async () => {
        const file = bundled('dat/expelliarmus_NCARS_obj_004397_td.dat');
        const { events } = await readAllEvents(file, { width: 54, height: 61 });
        expect([events.width, events.height]).toEqual([54, 61]);
        await expect(readAllEvents(file, { width: 40, height: 61 })).rejects.toThrow(
          new RegExp(`${file}: at byte \\d+: event at x=4\\d, y=\\d+ lies outside the 40x61 sensor`),
        );
      });

      it('sniffs each format from its header', () => {
        const head = (f: string) => new Uint8Array(readFileSync(f)).subarray(0, 4096);
        expect(detectFormat(head(bundled('evt2/expelliarmus_evt2_sparklers.raw')), 'a.raw')?.name).toBe('evt2');
        expect(detectFormat(head(bundled('evt3/expelliarmus_evt3_pedestrians_5000ev.raw')), 'a.raw')?.name).toBe('evt3');
        expect(detectFormat(head(bundled('dat/expelliarmus_NCARS_obj_004397_td.dat')), 'a.dat')?.name).toBe('dat');
        // The header wins over a misleading extension.
        expect(detectFormat(head(bundled('evt3/expelliarmus_evt3_pedestrians_5000ev.raw')), 'a.dat')?.name).toBe('evt3');
      });
    });

    describe.skipIf(!hasShared)('every Prophesee recording in ../shared', () => {
      if (!hasShared) it.skip(NO_SHARED, () => undefined);

      it('EVT 2.0 sample: 539,481 events (expelliarmus), first/last as aestream and OpenEB semantics give', async () => {
        const { events } = await readAllEvents(sharedFile('recordings/evt2/expelliarmus_evt2_sample.raw'));
        expect([events.width, events.height]).toEqual([640, 480]);
        expect(facts(events)).toEqual({
          events: 539481,
          first: [1317888, 237, 121, 1],
          last: [1367888, 210, 142, 1],
          on: 367855,
          off: 171626,
        });
      });

      it('EVT 2.0 sparklers in ../shared: faery\'s digests', async () => {
        const { events } = await readAllEvents(sharedFile('recordings/evt2/expelliarmus_evt2_sparklers.raw'));
        expect(fieldDigests(events)).toEqual(SPARKLERS_DIGESTS);
      });

      it('EVT 3.0 sample: 219,596 events, first/last with OpenEB times, x/y/p equal to expelliarmus\'s reference', async () => {
        const { events } = await readAllEvents(sharedFile('recordings/evt3/expelliarmus_evt3_sample.raw'));
        expect([events.width, events.height]).toEqual([1280, 720]);
        expect(facts(events)).toEqual({
          events: 219596,
          first: [11718656, 874, 200, 0],
          last: [11727457, 1218, 572, 1],
          on: 115532,
          off: 104064,
        });
        const bytes = readFileSync(sharedFile('recordings/npy/expelliarmus_evt3_sample_ref.npy'));
        // This reference is 16-byte aligned records: t@0, x@8, y@10, p@12.
        const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        const start = 10 + view.getUint16(8, true);
        let mismatches = 0;
        for (let i = 0; i < events.length; i++) {
          const o = start + 16 * i;
          if (view.getInt16(o + 8, true) !== events.x[i] || view.getInt16(o + 10, true) !== events.y[i]) mismatches++;
          if (view.getUint8(o + 12) !== events.p[i]) mismatches++;
        }
        expect(mismatches).toBe(0);
        expect(Number(view.getBigInt64(start + 16 * (events.length - 1), true))).toBe(11772513);
      });

      it('EVT 3.0 pedestrians in ../shared: same facts as the bundled copy', async () => {
        const { events } = await readAllEvents(sharedFile('recordings/evt3/expelliarmus_evt3_pedestrians_5000ev.raw'));
        expect(facts(events).last).toEqual([5885714, 598, 260, 0]);
      });

      it('DERIVED headerless EVT 3.0 payload: event_camera_codecs\' sums of t_ns, x, y, p and its two triggers', async () => {
        const { events, format, stats } = await readAllEvents(
          sharedFile('recordings/evt3/DERIVED_event_camera_codecs_evt3_trigger_payload.evt3'),
        );
        expect(format).toBe('evt3');
        let tNs = 0n;
        let x = 0;
        let y = 0;
        let p = 0;
        for (let i = 0; i < events.length; i++) {
          tNs += BigInt(events.t[i]!) * 1000n;
          x += events.x[i]!;
          y += events.y[i]!;
          p += events.p[i]!;
        }
        expect({ n: events.length, tNs, x, y, p }).toEqual({
          n: 82469,
          tNs: 1222326831810000n,
          x: 42078718,
          y: 31656267,
          p: 41439,
        });
        expect(facts(events).first).toEqual([14224870, 354, 604, 1]);
        expect(facts(events).last).toEqual([15476187, 15, 157, 0]);
        const tr = events.triggers!;
        expect(stats.triggers).toBe(2);
        expect({ t: Array.from(tr.t), id: Array.from(tr.id), value: Array.from(tr.value) }).toEqual({
          t: [14547491, 14549491],
          id: [0, 0],
          value: [0, 1],
        });
        // Publisher's trigger sums: t_ns, edge, id.
        expect((tr.t[0]! + tr.t[1]!) * 1000).toBe(29096982000);
      });

      it('DAT files: NCARS reference NPY field by field, tonic\'s NCARS sample facts', async () => {
        const { events } = await readAllEvents(sharedFile('recordings/dat/expelliarmus_NCARS_obj_004397_td.dat'));
        const ref = readReferenceNpy(readFileSync(sharedFile('recordings/npy/expelliarmus_NCARS_obj_004397_td_ref.npy')));
        expect({ t: Array.from(events.t), x: Array.from(events.x), y: Array.from(events.y), p: Array.from(events.p) }).toEqual(ref);
        const tonic = await readAllEvents(sharedFile('recordings/dat/tonic_sample_ncars.dat'));
        expect(facts(tonic.events)).toEqual({ events: 2009, first: [0, 25, 8, 0], last: [99952, 75, 28, 1], on: 1350, off: 659 });
      });
    });
  });
}
