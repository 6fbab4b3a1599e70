import type { EventBatchBuilder } from '../../events/eventBatchBuilder.ts';
import { EVENT_SIZE, TRIGGER_SIZE, triggerValue } from './layout.ts';

/** Why an event was refused: its index in the packet and the message. */
export class BadElement extends Error {
  constructor(
    readonly index: number,
    message: string,
  ) {
    super(message);
  }
}

let scratch = new Int32Array(1024);

/**
 * Copies `count` 16-byte DV events starting at `bytes[start]` into the builder and returns the last time
 * stamp. Reads whole int32 words through an Int32Array (little-endian platforms, like the rest of spikeflow);
 * unaligned input is first copied to an aligned scratch buffer. Checks x < width, y < height (negative int16
 * values read as >= 32768 and fail that too) and non-decreasing t.
 */
export function readEvents(
  bytes: Uint8Array,
  start: number,
  count: number,
  builder: EventBatchBuilder,
  width: number,
  height: number,
  lastT: number,
): number {
  const words = count * (EVENT_SIZE / 4);
  let w: Int32Array;
  const at = bytes.byteOffset + start;
  if (at % 4 === 0) {
    w = new Int32Array(bytes.buffer, at, words);
  } else {
    if (scratch.length < words) scratch = new Int32Array(words);
    w = scratch;
    new Uint8Array(w.buffer, 0, words * 4).set(bytes.subarray(start, start + words * 4));
  }
  builder.reserve(count);
  const T = builder.t;
  const X = builder.x;
  const Y = builder.y;
  const P = builder.p;
  let n = builder.length;
  let last = lastT;
  for (let k = 0; k < words; k += 4) {
    const t = (w[k]! >>> 0) + w[k + 1]! * 4294967296;
    const xy = w[k + 2]!;
    const x = xy & 0xffff;
    const y = xy >>> 16;
    if (t < last || x >= width || y >= height) throw badEvent(k >> 2, t, last, x, y, width, height);
    T[n] = t;
    X[n] = x;
    Y[n] = y;
    P[n] = (w[k + 3]! & 0xff) !== 0 ? 1 : 0;
    n++;
    last = t;
  }
  builder.length = n;
  return last;
}

/** The BadElement for event `i` that failed the checks of readEvents. */
export function badEvent(i: number, t: number, last: number, x: number, y: number, width: number, height: number): BadElement {
  if (t < last) return new BadElement(i, `event ${i}: t=${t} is before the previous event's t=${last}`);
  if (x >= width) return new BadElement(i, `event ${i}: x=${x << 16 >> 16} is outside 0..${width - 1} (sizeX=${width})`);
  return new BadElement(i, `event ${i}: y=${y << 16 >> 16} is outside 0..${height - 1} (sizeY=${height})`);
}

/** Copies `count` 16-byte DV triggers into the builder's trigger list. */
export function readTriggers(view: DataView, start: number, count: number, builder: EventBatchBuilder): void {
  for (let i = 0; i < count; i++) {
    const at = start + i * TRIGGER_SIZE;
    const t = view.getUint32(at, true) + view.getInt32(at + 4, true) * 4294967296;
    const type = view.getInt8(at + 8);
    if (type < 0 || type > 255) throw new BadElement(i, `trigger ${i}: type ${type}`);
    builder.pushTrigger(t, type, triggerValue(type));
  }
}
