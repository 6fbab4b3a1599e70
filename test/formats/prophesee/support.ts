import { afterAll, beforeAll } from 'vitest';
import { concatBatches, type EventBatch } from '../../../src/events/eventBatch.ts';
import { concatBytes } from '../../../src/formats/concatBytes.ts';
import { useWasmKernels } from '../../../src/formats/prophesee/wasmKernels.ts';
import { formatByName } from '../../../src/formats/registry.ts';
import type { DecoderOptions, EventDecoder } from '../../../src/formats/types.ts';

/** Decodes bytes in memory, pushing them in chunks of `chunkSize`, and returns all events in one batch. */
export function decodeBytes(
  format: string | ((options: DecoderOptions) => EventDecoder),
  bytes: Uint8Array,
  chunkSize: number,
  options: Partial<DecoderOptions> = {},
): EventBatch {
  const make = typeof format === 'string' ? formatByName(format).createDecoder! : format;
  const decoder = make({ file: 'memory', ...options });
  const parts: EventBatch[] = [];
  for (let o = 0; o < bytes.length; o += chunkSize) {
    // A fresh copy per chunk, as the file source does: nothing may depend on the previous chunk's memory.
    parts.push(decoder.push(bytes.slice(o, o + chunkSize)));
  }
  parts.push(decoder.end());
  return concatBatches(parts, decoder.geometry);
}

/** Encodes events with a registered encoder into one byte array. */
export function encodeBytes(format: string, events: EventBatch, extra: Record<string, unknown> = {}): Uint8Array {
  const encoder = formatByName(format).createEncoder!({ width: events.width, height: events.height, ...extra });
  const parts = [encoder.header(), encoder.encode(events), encoder.end()];
  return concatBytes(parts);
}

/** Every field as a plain array, for exact comparisons with readable diffs. */
export function fields(events: EventBatch) {
  return {
    length: events.length,
    width: events.width,
    height: events.height,
    t: Array.from(events.t),
    x: Array.from(events.x),
    y: Array.from(events.y),
    p: Array.from(events.p),
    triggers: events.triggers
      ? { t: Array.from(events.triggers.t), id: Array.from(events.triggers.id), value: Array.from(events.triggers.value) }
      : undefined,
  };
}

/** First/last event and ON/OFF counts: the facts the manifest states. */
export function facts(events: EventBatch) {
  const last = events.length - 1;
  let on = 0;
  for (let i = 0; i < events.length; i++) on += events.p[i]!;
  return {
    events: events.length,
    first: [events.t[0], events.x[0], events.y[0], events.p[0]],
    last: [events.t[last], events.x[last], events.y[last], events.p[last]],
    on,
    off: events.length - on,
  };
}

/** Reads a packed NumPy structured array with fields t <i8, x <i2, y <i2, p u1 (expelliarmus references). */
export function readReferenceNpy(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint16(8, true);
  const header = new TextDecoder().decode(bytes.subarray(10, 10 + headerLength));
  const count = Number(header.match(/'shape': \((\d+),\)/)![1]);
  const start = 10 + headerLength;
  const t: number[] = [];
  const x: number[] = [];
  const y: number[] = [];
  const p: number[] = [];
  for (let i = 0; i < count; i++) {
    const o = start + 13 * i;
    t.push(Number(view.getBigInt64(o, true)));
    x.push(view.getInt16(o + 8, true));
    y.push(view.getInt16(o + 10, true));
    p.push(view.getUint8(o + 12));
  }
  return { t, x, y, p };
}

/** The two implementations of the EVT 2.0, EVT 3.0 and DAT word loops: every test runs on both. */
export const KERNEL_PATHS = [
  { name: 'WebAssembly loops', wasm: true },
  { name: 'JS loops (SPIKEFLOW_NO_WASM=1)', wasm: false },
] as const;

/** Inside a describe: its tests decode on the given path. */
export function onKernelPath(wasm: boolean): void {
  beforeAll(() => useWasmKernels(wasm));
  afterAll(() => useWasmKernels(undefined));
}
