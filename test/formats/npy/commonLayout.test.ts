import { describe, expect, it } from 'vitest';
import type { EventBatch } from '../../../src/events/eventBatch.ts';
import { format } from '../../../src/formats/npy/index.ts';
import { mulberry32 } from '../mulberry32.ts';
import { decodeBytes } from '../nmnist/codecHarness.ts';

/**
 * The common-layout loop (little-endian 8-byte t, 2-byte x/y, 1-byte p) must decode exactly as the general
 * per-field readers do. The same records written big endian take the general path; both files must give the
 * same events or the same error (same offsets: the layouts have the same sizes).
 */
type Kind = 'i' | 'u';
interface Dtype {
  t: Kind;
  xy: Kind;
  p: Kind | 'b';
  itemSize: 13 | 16;
}

function npy(d: Dtype, littleEndian: boolean, rows: readonly [bigint, number, number, number][]): Uint8Array {
  const e = littleEndian ? '<' : '>';
  const pad = d.itemSize === 16 ? ", ('', '|V3')" : '';
  const p = d.p === 'b' ? '?' : `|${d.p}1`;
  let text = `{'descr': [('t', '${e}${d.t}8'), ('x', '${e}${d.xy}2'), ('y', '${e}${d.xy}2'), ('p', '${p}')${pad}], 'fortran_order': False, 'shape': (${rows.length},), }`;
  text = text.padEnd(Math.ceil((10 + text.length + 1) / 64) * 64 - 11, ' ') + '\n';
  const header = new TextEncoder().encode(text);
  const out = new Uint8Array(10 + header.length + rows.length * d.itemSize);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  const v = new DataView(out.buffer);
  v.setUint16(8, header.length, true);
  out.set(header, 10);
  rows.forEach(([t, x, y, pv], i) => {
    const o = 10 + header.length + i * d.itemSize;
    if (d.t === 'i') v.setBigInt64(o, BigInt.asIntN(64, t), littleEndian);
    else v.setBigUint64(o, BigInt.asUintN(64, t), littleEndian);
    v.setUint16(o + 8, x & 0xffff, littleEndian);
    v.setUint16(o + 10, y & 0xffff, littleEndian);
    v.setUint8(o + 12, pv & 0xff);
  });
  return out;
}

function outcome(bytes: Uint8Array, chunk: number, options: Record<string, unknown>): string {
  try {
    const { events } = decodeBytes(format, bytes, chunk, options);
    return describeEvents(events);
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
}

function describeEvents(e: EventBatch): string {
  const rows: string[] = [`${e.length} events ${e.width}x${e.height}`];
  for (let i = 0; i < e.length; i++) rows.push(`${e.t[i]} ${e.x[i]} ${e.y[i]} ${e.p[i]}`);
  return rows.join('\n');
}

const EDGE_T = [0n, 1n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 53n - 1n, 2n ** 53n, -(2n ** 53n) + 1n, -(2n ** 53n), -(2n ** 53n) + 2n ** 32n, -1n, 2n ** 63n, 2n ** 64n - 1n];
const EDGE_XY = [0, 1, 639, 640, 32767, 32768, 65535, -1];
const EDGE_P = [0, 1, 2, 127, 128, 255];

describe('NPY common layouts', () => {
  it('decode like the general readers on 2,000 seeded files with edge values (events and errors)', () => {
    const random = mulberry32(1128);
    const pick = <T>(a: readonly T[]) => a[Math.floor(random() * a.length)]!;
    let errors = 0;
    let events = 0;
    for (let k = 0; k < 2000; k++) {
      const d: Dtype = { t: pick(['i', 'u']), xy: pick(['i', 'u']), p: pick(['i', 'u', 'b']), itemSize: pick([13, 16]) };
      const rows: [bigint, number, number, number][] = [];
      let t = BigInt(Math.floor(random() * 1e6));
      const n = 1 + Math.floor(random() * 20);
      for (let i = 0; i < n; i++) {
        t = random() < 0.05 ? pick(EDGE_T) : t + BigInt(Math.floor(random() * 3) - (random() < 0.03 ? 5 : 0));
        const x = random() < 0.05 ? pick(EDGE_XY) : Math.floor(random() * 640);
        const y = random() < 0.05 ? pick(EDGE_XY) : Math.floor(random() * 480);
        const p = d.p === 'b' ? Math.floor(random() * 2) : random() < 0.1 ? pick(EDGE_P) : Math.floor(random() * 2);
        rows.push([t, x, y, p]);
      }
      const options = pick([{ width: 640, height: 480 }, { width: 65536, height: 65536 }, {}]);
      const chunk = pick([1, 7, 13, 100, 1 << 16]);
      const general = outcome(npy(d, false, rows), chunk, options);
      expect(outcome(npy(d, true, rows), chunk, options), `file ${k} ${JSON.stringify(d)}`).toBe(general);
      if (general.startsWith('error')) errors++;
      else events += Number(general.split(' ')[0]);
    }
    expect(errors).toBeGreaterThan(200);
    expect(events).toBeGreaterThan(5000);
  });
});
