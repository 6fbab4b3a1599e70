import { wasmKernels, type WasmKernels } from '../../codecs/wasmKernels.ts';
import { makeBatch, type EventBatch } from '../../events/eventBatch.ts';
import type { EventBatchBuilder } from '../../events/eventBatchBuilder.ts';
import type { Geometry } from '../../events/geometry.ts';
import { EVENT_SIZE } from './layout.ts';
import { badEvent } from './packetElements.ts';

/**
 * Collects the events of one `push` with the WebAssembly kernel (native/lz4/dv_events.c): DV event structs,
 * usually straight from the LZ4 output in wasm memory, become t/x/y/p arrays in the kernels' event area, and
 * `take` copies them once into exact-length arrays for the batch. Only when the area fills up (a push of more
 * than EVENT_AREA_CAPACITY events) are they moved into the builder, which then makes the batch.
 *
 * The event area is shared by every decoder of the process, so nothing may stay in it between calls: the
 * decoder calls `take` (or `discard`) before its push returns.
 */
export class WasmEventCollector {
  private readonly k: WasmKernels = wasmKernels();
  /** Events in the event area. */
  length = 0;

  /**
   * Appends `count` events stored at `bytes[start]` after checking them (x < width, y < height, t not
   * decreasing from `lastT`); returns the last t. Throws BadElement for the first bad event.
   */
  add(bytes: Uint8Array, start: number, count: number, builder: EventBatchBuilder, width: number, height: number, lastT: number): number {
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
    const area = k.eventArea;
    const before = this.length;
    const builderBefore = builder.length;
    let last = lastT;
    for (let done = 0; done < count; ) {
      if (this.length === area.capacity) this.flush(builder);
      const n = Math.min(count - done, area.capacity - this.length);
      const i = this.length;
      const accepted = k.dvEventsToArrays(at + done * EVENT_SIZE, n, area.t + 8 * i, area.x + 2 * i, area.y + 2 * i, area.p + i, width, height, last);
      this.length += accepted;
      last = k.dvLastTime();
      if (accepted < n) {
        // Like the JS reader, a packet with a bad event contributes none of its events.
        if (builder.length === builderBefore) this.length = before;
        else [builder.length, this.length] = [builderBefore + before, 0];
        const view = new DataView(k.memory.buffer, at + (done + accepted) * EVENT_SIZE, EVENT_SIZE);
        const t = view.getUint32(0, true) + view.getInt32(4, true) * 4294967296;
        throw badEvent(done + accepted, t, last, view.getUint16(8, true), view.getUint16(10, true), width, height);
      }
      done += n;
    }
    return last;
  }

  /**
   * The events collected so far (with the builder's triggers) as one batch, or undefined when there are
   * neither events nor triggers in the builder nor here.
   */
  take(builder: EventBatchBuilder, geometry: Geometry, hasTriggers: boolean): EventBatch | undefined {
    if (builder.length > 0) this.flush(builder);
    if (this.length === 0) return builder.length > 0 || hasTriggers ? builder.take(geometry) : undefined;
    const n = this.length;
    const { t, x, y, p } = this.k.eventArea;
    const buffer = this.k.memory.buffer;
    const triggers = hasTriggers ? builder.take(geometry).triggers : undefined;
    this.length = 0;
    return makeBatch(
      geometry,
      new Float64Array(buffer, t, n).slice(),
      new Uint16Array(buffer, x, n).slice(),
      new Uint16Array(buffer, y, n).slice(),
      new Uint8Array(buffer, p, n).slice(),
      triggers,
    );
  }

  /** Forgets the collected events (after an error that abandons the push). */
  discard(): void {
    this.length = 0;
  }

  private flush(builder: EventBatchBuilder): void {
    const n = this.length;
    if (n === 0) return;
    const { t, x, y, p } = this.k.eventArea;
    const buffer = this.k.memory.buffer;
    builder.reserve(n);
    const at = builder.length;
    builder.t.set(new Float64Array(buffer, t, n), at);
    builder.x.set(new Uint16Array(buffer, x, n), at);
    builder.y.set(new Uint16Array(buffer, y, n), at);
    builder.p.set(new Uint8Array(buffer, p, n), at);
    builder.length = at + n;
    this.length = 0;
  }
}
