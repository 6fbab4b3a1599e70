import { describe, expect, it } from 'vitest';
import { CodecError } from '../../src/codecs/codecError.ts';
import { encodeLz4Block } from '../../src/codecs/lz4Block.ts';
import { decodeLz4Block, WILD_COPY_SLACK } from '../../src/codecs/lz4Block.ts';
import { lz4ErrorMessage, wasmKernels } from '../../src/codecs/wasmKernels.ts';
import { seededRandom } from '../formats/aedat-common/decodeChunks.ts';
import { randomBlock } from './randomLz4Block.ts';

const k = wasmKernels();
const GUARD = 64;
const SENTINEL = 0xa5;

type Outcome = { bytes: Uint8Array } | { error: string; offset: number };

/**
 * Runs the wasm block decoder on `block` with the output area [dst, dst + capacity) surrounded by GUARD
 * sentinel bytes (before the window and after the limit), and fails the test if one of them changed: the
 * kernel must never write outside its output area, whatever the input.
 */
function wasmDecode(block: Uint8Array, capacity: number, prefix: Uint8Array = new Uint8Array(0)): Outcome {
  const src = k.scratchBase + GUARD;
  const window = src + block.length + 7 + GUARD; // odd alignment on purpose
  const dst = window + prefix.length;
  k.ensure(dst + capacity + GUARD);
  const mem = k.bytes();
  mem.set(block, src);
  mem.fill(SENTINEL, window - GUARD, dst + capacity + GUARD);
  mem.set(prefix, window);
  const written = k.lz4DecodeBlock(src, block.length, dst, capacity, window);
  const after = k.bytes();
  for (let i = window - GUARD; i < window; i++) if (after[i] !== SENTINEL) throw new Error(`write before the window at ${i - window}`);
  for (let i = dst + capacity; i < dst + capacity + GUARD; i++) if (after[i] !== SENTINEL) throw new Error(`write past the limit at +${i - dst - capacity}`);
  if (written < 0) return { error: lz4ErrorMessage(written, k.lz4ErrorValue()), offset: k.lz4ErrorPosition() - src };
  expect(written).toBeLessThanOrEqual(capacity);
  return { bytes: after.slice(dst, dst + written) };
}

/** The pure-JS decoder on the same input, as the reference. */
function jsDecode(block: Uint8Array, capacity: number, prefix: Uint8Array = new Uint8Array(0)): Outcome {
  const dst = new Uint8Array(prefix.length + capacity + WILD_COPY_SLACK);
  dst.set(prefix);
  try {
    const end = decodeLz4Block(block, new DataView(block.buffer, block.byteOffset), 0, block.length, dst, new DataView(dst.buffer), prefix.length, prefix.length + capacity, 0);
    return { bytes: dst.slice(prefix.length, end) };
  } catch (error) {
    if (!(error instanceof CodecError)) throw error;
    return { error: error.message.replace(/^at byte \d+ of the compressed data: /, ''), offset: error.offset };
  }
}

describe('LZ4 block decoder in WebAssembly', () => {
  it('decodes 3000 random valid blocks exactly, with an exact output capacity and with room to spare', () => {
    const random = seededRandom(2024);
    for (let i = 0; i < 3000; i++) {
      const { block, expected } = randomBlock(random);
      for (const capacity of [expected.length, expected.length + 100]) {
        const got = wasmDecode(block, capacity);
        expect('bytes' in got ? Buffer.compare(got.bytes, expected) : got, `block ${i}, capacity ${capacity}`).toBe(0);
      }
    }
  });

  it('decodes linked blocks whose matches reach into the previous output (the window)', () => {
    const random = seededRandom(5);
    const prefix = new Uint8Array(300).map(() => Math.floor(random() * 256));
    // 4 literals, then a 40-byte match 200 bytes back: 196 bytes into the prefix.
    const block = Uint8Array.of(0x4f, 1, 2, 3, 4, 200, 0, 40 - 19, 0x50, 9, 9, 9, 9, 9);
    const expected = [...prefix, 1, 2, 3, 4];
    for (let i = 0; i < 40; i++) expected.push(expected[expected.length - 200]!);
    expected.push(9, 9, 9, 9, 9);
    const got = wasmDecode(block, 100, prefix);
    expect(got).toEqual({ bytes: Uint8Array.from(expected.slice(300)) });
    expect(wasmDecode(block, 100, prefix.subarray(0, 100))).toEqual({ error: 'LZ4 match offset 200 reaches before the start of the output', offset: 5 });
  });

  it('gives the same bytes or the same error (message and offset) as the JS decoder on 20,000 corrupt blocks', () => {
    const random = seededRandom(77);
    const events = new Uint8Array(16 * 4000);
    const view = new DataView(events.buffer);
    for (let i = 0; i < 4000; i++) {
      view.setUint32(i * 16, 5_000_000 + i * 7, true);
      view.setUint32(i * 16 + 8, Math.floor(random() * 320) | (Math.floor(random() * 240) << 16), true);
      events[i * 16 + 12] = random() < 0.5 ? 1 : 0;
    }
    const compressed = new Uint8Array(events.length * 2);
    const real = compressed.slice(0, encodeLz4Block(events, 0, events.length, compressed, 0));
    let errors = 0;
    for (let i = 0; i < 20_000; i++) {
      let block: Uint8Array;
      const kind = i % 4;
      if (kind === 0) block = new Uint8Array(1 + Math.floor(random() * 200)).map(() => Math.floor(random() * 256));
      else if (kind === 1) block = randomBlock(random).block;
      else block = real.slice(0, 1 + Math.floor(random() * real.length));
      if (kind !== 3) for (let f = 0; f < 1 + Math.floor(random() * 4); f++) block[Math.floor(random() * block.length)] = Math.floor(random() * 256);
      // Capacities from far too small to ample, so that the output limit is hit at every kind of sequence.
      const capacity = Math.floor(random() * (kind === 2 || kind === 3 ? events.length + 64 : 2000));
      const wasm = wasmDecode(block, capacity);
      const js = jsDecode(block, capacity);
      if ('bytes' in wasm && 'bytes' in js) {
        if (Buffer.compare(wasm.bytes, js.bytes) !== 0) expect.fail(`input ${i}: different bytes`);
      } else {
        expect(wasm, `input ${i}`).toEqual(js);
        errors++;
      }
    }
    expect(errors).toBeGreaterThan(8000);
  });
});
