import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/errors.ts';
import { makeBatch } from '../../src/events/eventBatch.ts';
import { decodeFrame, encodeEventFrame, encodeSpikeFrame, FRAME_HEADER_BYTES } from '../../src/wire/eventFrame.ts';

function sampleBatch(n: number, t0 = 1_000_000) {
  const t = new Float64Array(n);
  const x = new Uint16Array(n);
  const y = new Uint16Array(n);
  const p = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    t[i] = t0 + i * 7 + (i % 3 === 0 ? 0 : 1);
    x[i] = (i * 31) % 640;
    y[i] = (i * 17) % 480;
    p[i] = i % 2;
  }
  return makeBatch({ width: 640, height: 480 }, t, x, y, p);
}

describe('event frames', () => {
  it('round-trips a sorted batch with delta-coded times (9 bytes per event)', () => {
    const batch = sampleBatch(1000);
    const frame = encodeEventFrame(batch);
    expect(frame.byteLength).toBe(FRAME_HEADER_BYTES + 1000 * 9);
    expect(Array.from(frame.subarray(0, 8))).toEqual([0x53, 0x50, 0x4b, 0x46, 1, 1, 1, 0]);
    const decoded = decodeFrame(frame);
    expect(decoded.kind).toBe('events');
    if (decoded.kind !== 'events') return;
    expect(decoded.events.width).toBe(640);
    expect(decoded.events.height).toBe(480);
    expect(decoded.events.t).toEqual(batch.t);
    expect(decoded.events.x).toEqual(batch.x);
    expect(decoded.events.y).toEqual(batch.y);
    expect(decoded.events.p).toEqual(batch.p);
  });

  it('falls back to absolute f64 times when a step does not fit 32 bits or t is fractional', () => {
    const big = makeBatch({ width: 4, height: 4 }, Float64Array.of(0, 2 ** 40, 2 ** 40 + 0.5), new Uint16Array(3), new Uint16Array(3), new Uint8Array(3));
    const frame = encodeEventFrame(big);
    expect(frame[6]).toBe(0);
    expect(frame.byteLength).toBe(FRAME_HEADER_BYTES + 3 * 13);
    const decoded = decodeFrame(frame);
    expect(decoded.kind === 'events' && Array.from(decoded.events.t)).toEqual([0, 2 ** 40, 2 ** 40 + 0.5]);
  });

  it('round-trips spikes with the population name and until, and an empty batch', () => {
    const spikes = { t: Float64Array.of(5, 5, 9), neuron: Uint32Array.of(3, 70000, 1), length: 3, population: 'détection', until: 10 };
    const decoded = decodeFrame(encodeSpikeFrame(spikes));
    expect(decoded).toEqual({ kind: 'spikes', spikes });
    const empty = decodeFrame(encodeEventFrame(sampleBatch(0)));
    expect(empty.kind === 'events' && empty.events.length).toBe(0);
  });

  it('decodes a frame at an unaligned offset (as a Node Buffer may be)', () => {
    const frame = encodeEventFrame(sampleBatch(10));
    const shifted = new Uint8Array(frame.byteLength + 3);
    shifted.set(frame, 3);
    const decoded = decodeFrame(shifted.subarray(3));
    expect(decoded.kind === 'events' && Array.from(decoded.events.x)).toEqual(Array.from(sampleBatch(10).x));
  });

  it('rejects bad magic, a truncated frame and an unknown kind with the byte offset', () => {
    const frame = encodeEventFrame(sampleBatch(4));
    const badMagic = frame.slice();
    badMagic[0] = 0;
    expect(() => decodeFrame(badMagic, 'ws')).toThrow(new DecodeError('ws', 0, 'the magic "SPKF"'));
    expect(() => decodeFrame(frame.subarray(0, frame.byteLength - 1))).toThrow(/a frame of 84 bytes for 4 items \(got 83\)/);
    const badKind = frame.slice();
    badKind[5] = 9;
    expect(() => decodeFrame(badKind)).toThrow(/at byte 5: frame kind/);
  });
});
