import { describe, expect, it } from 'vitest';
import { scanByteBands } from '../../src/video/pixelScan.ts';
import { SeededRandom } from '../../src/video/random.ts';
import { WasmBandScanner, wasmScanAvailable } from '../../src/video/wasmScan.ts';
import { expectCommittedWasm, hasWasmToolchain } from '../helpers/wasmRebuild.ts';

/** Fired pixels by the plain definition: the byte is above `above` or below `below`. */
function reference(data: Uint8Array, above: Uint8Array, below: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < data.length; i++) if (data[i] > above[i] || data[i] < below[i]) out.push(i);
  return out;
}

describe.skipIf(!wasmScanAvailable())('WebAssembly band scan', () => {
  // Sizes around the 16-pixel blocks and the 4-pixel words; densities from none to most pixels firing.
  for (const n of [1, 15, 16, 17, 64, 1000, 4099]) {
    for (const spread of [0, 2, 40]) {
      it(`${n} pixels, band half-width ${spread}: the same fired pixels as the definition and the SWAR scan`, () => {
        const random = new SeededRandom(n * 100 + spread);
        const scanner = new WasmBandScanner(n);
        const data = new Uint8Array(n);
        for (let i = 0; i < n; i++) {
          const level = random.nextInt(256);
          scanner.above[i] = Math.min(255, level + random.nextInt(spread + 1));
          scanner.below[i] = Math.max(0, level - random.nextInt(spread + 1));
          // Mostly inside the band, sometimes just outside, including the extreme bytes 0 and 255.
          const r = random.next();
          data[i] = r < 0.1 ? 0 : r < 0.2 ? 255 : r < 0.4 ? Math.min(255, scanner.above[i] + 1) : level;
        }
        const expected = reference(data, scanner.above, scanner.below);
        const count = scanner.scan(data);
        expect(Array.from(scanner.fired.subarray(0, count))).toEqual(expected);
        expect(Array.from(scanner.current)).toEqual(Array.from(data));
        // The SWAR scan agrees (word views of copies, which are 4-aligned).
        const above = new Uint8Array(scanner.above);
        const below = new Uint8Array(scanner.below);
        const copy = new Uint8Array(data);
        const words = n >>> 2;
        const fired = new Uint32Array(n);
        const swar = scanByteBands(copy, new Uint32Array(copy.buffer, 0, words), above, below, new Uint32Array(above.buffer, 0, words), new Uint32Array(below.buffer, 0, words), n, fired);
        expect(Array.from(fired.subarray(0, swar))).toEqual(expected);
        if (spread === 40) expect(expected.length).toBeGreaterThan(n / 10);
      });
    }
  }

  it('swaps the frame slots instead of copying', () => {
    const scanner = new WasmBandScanner(8);
    const first = scanner.current;
    scanner.scan(new Uint8Array(8).fill(7));
    scanner.swap();
    expect(scanner.previous).toBe(first);
    expect(Array.from(scanner.previous)).toEqual(new Array(8).fill(7));
  });
});

const hasToolchain = hasWasmToolchain;

describe('committed scanBands.wasm', () => {
  it.skipIf(!hasToolchain)('is what native/video/build.sh builds (clang + wasm-ld)', () => {
    expectCommittedWasm('video', 'src/video/scanBands.wasm');
  });
  it.skipIf(hasToolchain)('rebuild check skipped: clang and wasm-ld (Debian: clang lld) are not installed', () => undefined);
});
