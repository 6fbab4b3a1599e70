import { describe, expect, it } from 'vitest';
import { EventBatchBuilder } from '../../../src/events/eventBatchBuilder.ts';
import { BadElement, readEvents } from '../../../src/formats/aedat4/packetElements.ts';
import { WasmEventCollector } from '../../../src/formats/aedat4/wasmEventCollector.ts';
import { sameEvents, seededRandom } from '../aedat-common/decodeChunks.ts';

const WIDTH = 346;
const HEIGHT = 260;
const GEOMETRY = { width: WIDTH, height: HEIGHT };
/** Time stamps where the conversion of int64 to f64 changes character: the SIMD path's 2^52 limit, rounding above 2^53, signs. */
const EDGE_TIMES = [0n, 1n, 2n ** 52n - 1n, 2n ** 52n, 2n ** 52n + 1n, 2n ** 53n + 1n, 2n ** 53n + 3n, 2n ** 62n + 12345n, -1n, -(2n ** 63n), 2n ** 63n - 1n];
const EDGE_XY = [0, 1, WIDTH - 1, WIDTH, HEIGHT - 1, HEIGHT, 32767, 32768, 0xffff];

type Outcome = { events: ReturnType<EventBatchBuilder['take']>; last: number } | { error: string };

function viaJs(bytes: Uint8Array, start: number, count: number, lastT: number): Outcome {
  const builder = new EventBatchBuilder(8);
  try {
    const last = readEvents(bytes, start, count, builder, WIDTH, HEIGHT, lastT);
    return { events: builder.take(GEOMETRY), last };
  } catch (error) {
    if (!(error instanceof BadElement)) throw error;
    return { error: `${error.index}: ${error.message}` };
  }
}

function viaWasm(collector: WasmEventCollector, bytes: Uint8Array, start: number, count: number, lastT: number): Outcome {
  const builder = new EventBatchBuilder(8);
  collector.begin(bytes.length);
  try {
    const last = collector.add(bytes, start, count, WIDTH, HEIGHT, lastT);
    const events = collector.take(builder, GEOMETRY, false) ?? builder.take(GEOMETRY);
    return { events, last };
  } catch (error) {
    collector.discard();
    if (!(error instanceof BadElement)) throw error;
    return { error: `${error.index}: ${error.message}` };
  }
}

describe('DV event structs to arrays: WebAssembly kernel (SIMD groups of 4 + scalar) against the JS reader', () => {
  it('agrees on 5000 random packets with edge times, edge coordinates, disorder and odd polarity bytes', () => {
    const random = seededRandom(4242);
    const collector = new WasmEventCollector();
    let errors = 0;
    let accepted = 0;
    for (let round = 0; round < 5000; round++) {
      const count = 1 + Math.floor(random() * 41);
      const start = Math.floor(random() * 3) * 4 + (random() < 0.2 ? 1 : 0); // aligned and unaligned packets
      const bytes = new Uint8Array(start + count * 16 + 8).map(() => Math.floor(random() * 256));
      const view = new DataView(bytes.buffer);
      let t = BigInt(Math.floor(random() * 2 ** 51)) * (random() < 0.2 ? 4096n : 1n);
      for (let i = 0; i < count; i++) {
        const at = start + i * 16;
        t += BigInt(Math.floor(random() * 5));
        let time = t;
        let x = Math.floor(random() * WIDTH);
        let y = Math.floor(random() * HEIGHT);
        if (random() < 0.02) time = EDGE_TIMES[Math.floor(random() * EDGE_TIMES.length)]!;
        if (random() < 0.01) time = t - 1n;
        if (random() < 0.02) x = EDGE_XY[Math.floor(random() * EDGE_XY.length)]!;
        if (random() < 0.02) y = EDGE_XY[Math.floor(random() * EDGE_XY.length)]!;
        view.setBigInt64(at, time, true);
        view.setUint16(at + 8, x, true);
        view.setUint16(at + 10, y, true);
        bytes[at + 12] = [0, 1, 2, 255][Math.floor(random() * 4)]!; // bytes 13..15 stay random padding
      }
      const lastT = random() < 0.5 ? -Infinity : Number(t) - Math.floor(random() * 200);
      const js = viaJs(bytes, start, count, lastT);
      const wasm = viaWasm(collector, bytes, start, count, lastT);
      if ('error' in js) {
        expect(wasm, `round ${round}`).toEqual(js);
        errors++;
      } else {
        expect('events' in wasm && sameEvents(wasm.events, js.events) && wasm.last === js.last, `round ${round}`).toBe(true);
        accepted += js.events.length;
      }
    }
    expect(errors).toBeGreaterThan(1000);
    expect(accepted).toBeGreaterThan(20_000);
  });

  it('converts t above 2^53 exactly like JavaScript (round to nearest even) and p from byte 12 only', () => {
    const bytes = new Uint8Array(5 * 16);
    const view = new DataView(bytes.buffer);
    const times = [2n ** 53n + 1n, 2n ** 53n + 3n, 2n ** 60n + 1n, 2n ** 62n + 2n ** 9n, 2n ** 62n + 2n ** 9n + 1n];
    times.forEach((time, i) => {
      view.setBigInt64(i * 16, time, true);
      bytes[i * 16 + 12] = i % 2;
      bytes[i * 16 + 13] = 1;
    });
    const wasm = viaWasm(new WasmEventCollector(), bytes, 0, 5, -Infinity);
    expect('events' in wasm && [...wasm.events.t]).toEqual(times.map((t) => Number(t)));
    expect('events' in wasm && [...wasm.events.p]).toEqual([0, 1, 0, 1, 0]);
  });
});
