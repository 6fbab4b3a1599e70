import { wasmKernels, type WasmKernels } from '../../codecs/wasmKernels.ts';
import { makeBatch, type EventBatch } from '../../events/eventBatch.ts';
import type { EventBatchBuilder } from '../../events/eventBatchBuilder.ts';
import type { Geometry } from '../../events/geometry.ts';
import { EVENT_SIZE } from './layout.ts';
import { badEvent } from './packetElements.ts';
import { clearUnwritten, uninitializedEventArrays } from '../uninitializedBuffer.ts';

/** Smallest capacity of the output arrays. */
const MIN_CAPACITY = 1024;
/** Before any push was seen: LZ4 packs DV events into about 8 bytes, so a chunk of c bytes holds ~c/8 events. */
const BYTES_PER_EVENT_GUESS = 8;

/**
 * Collects the events of one `push` with the WebAssembly kernel (native/lz4/dv_events.c): the DV event structs
 * of a packet, usually straight from the LZ4 output in wasm memory, become t/x/y/p in the kernels' small event
 * area (which stays in cache) and are copied from there into this push's output arrays right away. `take`
 * hands those arrays over as views of the filled part (EventBatch allows views) and the next push starts new
 * ones, sized like the last push (the first from the chunk size) so that they rarely grow (growing doubles and
 * copies) and the views waste little.
 */
export class WasmEventCollector {
  private readonly k: WasmKernels = wasmKernels();
  /** Events of the previous push, or -1 before the first. */
  private previous = -1;
  private t = new Float64Array(0);
  private x = new Uint16Array(0);
  private y = new Uint16Array(0);
  private p = new Uint8Array(0);
  /** Events collected in this push. */
  length = 0;
  private chunkBytes = 0;

  /** Called at the start of each push, with the size of its chunk. */
  begin(chunkBytes: number): void {
    this.chunkBytes = chunkBytes;
  }

  /**
   * Appends `count` events stored at `bytes[start]` after checking them (x < width, y < height, t not
   * decreasing from `lastT`); returns the last t. Throws BadElement for the first bad event, and then keeps
   * none of this packet's events (like the JS reader).
   */
  add(bytes: Uint8Array, start: number, count: number, width: number, height: number, lastT: number): number {
    const k = this.k;
    let at: number;
    if (bytes.buffer === k.memory.buffer) {
      at = bytes.byteOffset + start;
    } else {
      // Uncompressed or zstd packets live in JavaScript memory: one copy into the scratch area.
      at = k.scratchBase;
      k.ensure(at + count * EVENT_SIZE);
      k.bytes().set(bytes.subarray(start, start + count * EVENT_SIZE), at);
    }
    this.reserve(this.length + count);
    const area = k.eventArea;
    const buffer = k.memory.buffer;
    const before = this.length;
    let last = lastT;
    for (let done = 0; done < count; ) {
      const n = Math.min(count - done, area.capacity);
      const accepted = k.dvEventsToArrays(at + done * EVENT_SIZE, n, area.t, area.x, area.y, area.p, width, height, last);
      const i = this.length;
      this.t.set(new Float64Array(buffer, area.t, accepted), i);
      this.x.set(new Uint16Array(buffer, area.x, accepted), i);
      this.y.set(new Uint16Array(buffer, area.y, accepted), i);
      this.p.set(new Uint8Array(buffer, area.p, accepted), i);
      this.length = i + accepted;
      last = k.dvLastTime();
      if (accepted < n) {
        this.length = before;
        const view = new DataView(buffer, at + (done + accepted) * EVENT_SIZE, EVENT_SIZE);
        const t = view.getUint32(0, true) + view.getInt32(4, true) * 4294967296;
        throw badEvent(done + accepted, t, last, view.getUint16(8, true), view.getUint16(10, true), width, height);
      }
      done += n;
    }
    return last;
  }

  /**
   * The events collected in this push, with the builder's triggers, as one batch (views of this push's
   * arrays); undefined when there are neither events nor triggers.
   */
  take(builder: EventBatchBuilder, geometry: Geometry, hasTriggers: boolean): EventBatch | undefined {
    const n = this.length;
    if (n === 0) return hasTriggers ? builder.take(geometry) : undefined;
    const triggers = hasTriggers ? builder.take(geometry).triggers : undefined;
    clearUnwritten(this.t, this.x, this.y, this.p, n);
    const batch = makeBatch(geometry, this.t.subarray(0, n), this.x.subarray(0, n), this.y.subarray(0, n), this.p.subarray(0, n), triggers);
    this.previous = n;
    this.discard();
    return batch;
  }

  /** Forgets the collected events (after an error that abandons the push); the next push gets new arrays. */
  discard(): void {
    this.length = 0;
    this.t = new Float64Array(0);
    this.x = new Uint16Array(0);
    this.y = new Uint16Array(0);
    this.p = new Uint8Array(0);
  }

  private reserve(need: number): void {
    if (need <= this.t.length) return;
    const guess = this.previous >= 0 ? this.previous + (this.previous >> 3) : this.chunkBytes / BYTES_PER_EVENT_GUESS;
    let capacity = Math.max(MIN_CAPACITY, this.t.length * 2, Math.ceil(guess));
    while (capacity < need) capacity *= 2;
    const n = this.length;
    const [t, x, y, p] = uninitializedEventArrays(capacity);
    t.set(this.t.subarray(0, n));
    x.set(this.x.subarray(0, n));
    y.set(this.y.subarray(0, n));
    p.set(this.p.subarray(0, n));
    [this.t, this.x, this.y, this.p] = [t, x, y, p];
  }
}
