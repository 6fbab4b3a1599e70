import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.ts';
import { makeBatch } from '../../src/events/eventBatch.ts';
import { EventBatchBuilder } from '../../src/events/eventBatchBuilder.ts';
import { createDatagramReader, encodeDatagrams } from '../../src/wire/udpFormat.ts';

const geometry = { width: 640, height: 480 };

function batchOf(t: number[], x: number[], y: number[], p: number[]) {
  return makeBatch(geometry, Float64Array.from(t), Uint16Array.from(x), Uint16Array.from(y), Uint8Array.from(p));
}

describe('SPIF words', () => {
  it('packs x in bits 30..16, polarity in bit 15, y in bits 14..0, bit 31 set when no timestamp follows', () => {
    const [datagram] = encodeDatagrams(batchOf([5, 6], [0x1234, 1], [0x0567, 0x7fff], [1, 0]), { format: 'spif', timestamps: false }, 1472, 'udp');
    const words = new DataView(datagram!.bytes.buffer, datagram!.bytes.byteOffset, 8);
    expect(words.getUint32(0, true)).toBe((0x80000000 | (0x1234 << 16) | 0x8000 | 0x0567) >>> 0);
    expect(words.getUint32(4, true)).toBe((0x80000000 | (1 << 16) | 0x7fff) >>> 0);
    // The same word AEStream builds: ((x | 0x8000) << 16) | (y | 0x8000) for an ON event, as bytes little-endian.
    expect(Array.from(datagram!.bytes.subarray(0, 4))).toEqual([0x67, 0x85, 0x34, 0x92]);
  });

  it('with timestamps, follows each word by t mod 2^32 and unwraps on receipt', () => {
    const t = [4294967290, 4294967295, 4294967296 + 3];
    const batch = batchOf(t, [1, 2, 3], [4, 5, 6], [0, 1, 0]);
    const datagrams = encodeDatagrams(batch, { format: 'spif', timestamps: true }, 16, 'udp');
    expect(datagrams.map((d) => d.bytes.byteLength)).toEqual([16, 8]);
    const first = new DataView(datagrams[0]!.bytes.buffer, 0, 16);
    expect(first.getUint32(0, true)).toBe((1 << 16) | 4);
    expect(first.getUint32(4, true)).toBe(4294967290);
    const read = createDatagramReader('spif');
    const builder = new EventBatchBuilder(4);
    for (const d of datagrams) read(d.bytes, builder, 0);
    const out = builder.take(geometry);
    expect(Array.from(out.t)).toEqual(t);
    expect(Array.from(out.x)).toEqual([1, 2, 3]);
    expect(Array.from(out.y)).toEqual([4, 5, 6]);
    expect(Array.from(out.p)).toEqual([0, 1, 0]);
  });

  it('stamps events without timestamps with the arrival time, and rejects a dangling timestamp word', () => {
    const read = createDatagramReader('spif');
    const builder = new EventBatchBuilder(4);
    const [d] = encodeDatagrams(batchOf([1, 2], [7, 8], [9, 10], [1, 1]), { format: 'spif', timestamps: false }, 1472, 'udp');
    expect(read(d!.bytes, builder, 123)).toBe(2);
    expect(Array.from(builder.take(geometry).t)).toEqual([123, 123]);
    expect(read(Uint8Array.of(0, 0, 1, 0), builder, 0)).toBe(-1);
    expect(builder.length).toBe(0);
  });

  it('rejects coordinates above 15 bits with a ConfigError naming the event', () => {
    const wide = makeBatch({ width: 40000, height: 10 }, Float64Array.of(0, 1), Uint16Array.of(3, 32768), Uint16Array.of(0, 0), Uint8Array.of(0, 0));
    expect(() => encodeDatagrams(wide, { format: 'spif', timestamps: false }, 1472, 'sinks[1]')).toThrow(
      new ConfigError('sinks[1]: event 1 x', 32768, '0..32767 for spif'),
    );
  });
});

describe('faery t64_x16_y16_on8', () => {
  it('writes packed 13-byte records and splits at the payload limit on whole events', () => {
    const n = 250;
    const t = Array.from({ length: n }, (_, i) => 2 ** 33 + i * 3);
    const batch = batchOf(t, t.map((_, i) => i % 640), t.map((_, i) => i % 480), t.map((_, i) => i % 2));
    const datagrams = encodeDatagrams(batch, { format: 't64_x16_y16_on8', timestamps: false }, 1472, 'udp');
    expect(datagrams.map((d) => d.events)).toEqual([113, 113, 24]);
    expect(datagrams[0]!.bytes.byteLength).toBe(1469);
    const b = datagrams[0]!.bytes;
    // Event 1: t = 2^33 + 3 -> bytes 03 00 00 00 02 00 00 00, x = 1, y = 1, on = 1.
    expect(Array.from(b.subarray(13, 26))).toEqual([3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 1, 0, 1]);
    const read = createDatagramReader('t64_x16_y16_on8');
    const builder = new EventBatchBuilder(16);
    for (const d of datagrams) expect(read(d.bytes, builder, 0)).toBe(d.events);
    const out = builder.take(geometry);
    expect(out.t).toEqual(batch.t);
    expect(out.x).toEqual(batch.x);
    expect(out.y).toEqual(batch.y);
    expect(out.p).toEqual(batch.p);
  });

  it('rejects negative or fractional t and a payload too small for one event', () => {
    expect(() => encodeDatagrams(batchOf([1, 1.5], [0, 0], [0, 0], [0, 0]), { format: 't64_x16_y16_on8', timestamps: false }, 1472, 'udp')).toThrow(
      /udp: event 1 t: 1.5 is not allowed/,
    );
    expect(() => encodeDatagrams(batchOf([1], [0], [0], [0]), { format: 't64_x16_y16_on8', timestamps: false }, 12, 'udp')).toThrow(
      new ConfigError('udp.maxPayload', 12, 'at least 13 bytes'),
    );
  });
});
