import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CodecError } from '../../src/codecs/codecError.ts';
import { Lz4FrameDecoder, encodeLz4Frame } from '../../src/codecs/lz4Frame.ts';
import { xxhash32 } from '../../src/codecs/xxhash32.ts';
import { hasProgram } from '../helpers/shared.ts';
import { seededRandom } from '../formats/aedat-common/decodeChunks.ts';

const hasLz4 = hasProgram('lz4', '--version');

/** Inputs that stress different paths: incompressible, runs, short periods (overlapping matches), text. */
function samples(): Record<string, Uint8Array> {
  const random = seededRandom(7);
  const noise = new Uint8Array(200_000).map(() => Math.floor(random() * 256));
  const runs = new Uint8Array(300_000).map((_, i) => (i >> 10) & 3);
  const period3 = new Uint8Array(70_000).map((_, i) => [1, 2, 3][i % 3]!);
  const text = new TextEncoder().encode('spikeflow events and spikes, '.repeat(5000));
  const events = new Uint8Array(16 * 20_000);
  const view = new DataView(events.buffer);
  for (let i = 0; i < 20_000; i++) {
    view.setUint32(i * 16, 1_000_000 + i * 3, true);
    view.setUint16(i * 16 + 8, Math.floor(random() * 320), true);
    view.setUint16(i * 16 + 10, Math.floor(random() * 240), true);
    events[i * 16 + 12] = random() < 0.5 ? 1 : 0;
  }
  return { empty: new Uint8Array(0), one: Uint8Array.of(42), twelve: text.subarray(0, 12), noise, runs, period3, text, events };
}

function lz4Cli(args: string[], input: Uint8Array): Uint8Array {
  const result = spawnSync('lz4', [...args, '-c'], { input, maxBuffer: 1 << 28 });
  if (result.status !== 0) throw new Error(`lz4 ${args.join(' ')}: ${result.stderr}`);
  return new Uint8Array(result.stdout);
}

describe('xxHash32', () => {
  it('matches the published test vectors', () => {
    expect(xxhash32(new Uint8Array(0))).toBe(0x02cc5d05);
    expect(xxhash32(new TextEncoder().encode('abc'))).toBe(0x32d153ff);
  });
});

/** Both block decoders run every test: the WebAssembly kernel and the pure-JS fallback. */
const PATHS = [
  ['wasm', true],
  ['js', false],
] as const;

describe.each(PATHS)('LZ4 frame codec (%s blocks)', (_name, wasm) => {
  it('round trips every sample through our encoder and decoder', () => {
    const decoder = new Lz4FrameDecoder({ wasm });
    for (const [name, data] of Object.entries(samples())) {
      const frame = encodeLz4Frame(data);
      expect(Buffer.compare(decoder.decode(frame), data), name).toBe(0);
    }
    expect(encodeLz4Frame(samples().text).length).toBeLessThan(2000);
  });

  it.skipIf(!hasLz4)('decodes frames written by the lz4 program (linked/independent, checksums, sizes, concatenated)', () => {
    const decoder = new Lz4FrameDecoder({ wasm });
    const variants = [[], ['-BD'], ['-BX'], ['--content-size'], ['-B4', '-BD'], ['-B7'], ['-9'], ['--no-frame-crc', '-1']];
    for (const [name, data] of Object.entries(samples())) {
      for (const options of variants) {
        const frame = lz4Cli(options, data);
        expect(Buffer.compare(decoder.decode(frame), data), `${name} ${options.join(' ')}`).toBe(0);
      }
    }
    const { text, noise } = samples();
    const twoFrames = Buffer.concat([lz4Cli([], text), lz4Cli(['-BD'], noise)]);
    expect(Buffer.compare(decoder.decode(twoFrames), Buffer.concat([text, noise]))).toBe(0);
  });

  it.skipIf(!hasLz4)('writes frames the lz4 program decodes', () => {
    for (const [name, data] of Object.entries(samples())) {
      expect(Buffer.compare(lz4Cli(['-d'], encodeLz4Frame(data)), data), name).toBe(0);
    }
  });
  it.skipIf(hasLz4)('lz4 program interop skipped: the lz4 program is not installed', () => undefined);

  it('skips skippable frames', () => {
    const data = samples().text;
    const skippable = Uint8Array.of(0x5a, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 9, 9, 9);
    const input = Buffer.concat([skippable, encodeLz4Frame(data)]);
    expect(Buffer.compare(new Lz4FrameDecoder({ wasm }).decode(input), data)).toBe(0);
  });

  it('corrupt frames give a CodecError, never a hang or another error (seeded, 5000 mutations)', () => {
    const decoder = new Lz4FrameDecoder({ wasm });
    const frame = encodeLz4Frame(samples().events.subarray(0, 40_000));
    const random = seededRandom(11);
    let errors = 0;
    for (let i = 0; i < 5000; i++) {
      const bad = frame.slice(0, 1 + Math.floor(random() * frame.length));
      for (let k = 0; k < 3; k++) bad[Math.floor(random() * bad.length)] = Math.floor(random() * 256);
      try {
        decoder.decode(bad);
      } catch (error) {
        if (!(error instanceof CodecError)) throw error;
        errors++;
      }
    }
    expect(errors).toBeGreaterThan(4000);
    expect(() => decoder.decode(Uint8Array.of(1, 2, 3, 4, 5))).toThrow(/LZ4 frame magic 0x4030201 /);
    const badChecksum = frame.slice();
    badChecksum[6] ^= 1;
    expect(() => decoder.decode(badChecksum)).toThrow(/header checksum/);
  });
});
