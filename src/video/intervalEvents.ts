import { makeBatch, type EventBatch } from '../events/eventBatch.ts';
import type { Geometry } from '../events/geometry.ts';
import { TimeSorter } from './sortByTime.ts';

/**
 * The events of one inter-frame interval, in generation order (pixels row-major, then shot noise), as three
 * growable typed arrays: time offset from the interval start (µs), packed pixel `x | y << 16`, polarity. The model
 * appends to them directly (`offset`, `xy`, `p`, `count` are public so kernels can hold them in locals), and
 * `toBatch` hands them out sorted by time, ties in generation order.
 */
export class IntervalEvents {
  offset = new Uint32Array(4096);
  xy = new Uint32Array(4096);
  p = new Uint8Array(4096);
  count = 0;
  /** Bucket sort: `counts[k]` is the number of events at offset k, then the next free slot for them. */
  private counts = new Uint32Array(0);
  private readonly sorter = new TimeSorter();

  /** Makes room for `extra` more events. */
  reserve(extra: number): void {
    const need = this.count + extra;
    if (need <= this.offset.length) return;
    let capacity = this.offset.length * 2;
    while (capacity < need) capacity *= 2;
    this.offset = grown(this.offset, new Uint32Array(capacity), this.count);
    this.xy = grown(this.xy, new Uint32Array(capacity), this.count);
    this.p = grown(this.p, new Uint8Array(capacity), this.count);
  }

  /**
   * The interval's events as a batch sorted by time (t = t0 + offset), stable; empties the list. An interval
   * short against the event count (a busy 30 fps frame: 33 334 buckets for ~18k events) is bucket-sorted by
   * offset, writing each event straight to its place in the output (one counting pass, one scattering pass);
   * a long or sparse one goes through the radix `TimeSorter` and a gather.
   */
  toBatch(geometry: Geometry, t0: number, interval: number): EventBatch {
    const n = this.count;
    this.count = 0;
    const t = new Float64Array(n);
    const x = new Uint16Array(n);
    const y = new Uint16Array(n);
    const p = new Uint8Array(n);
    const { offset, xy, p: polarity } = this;
    if (interval < 4 * n) {
      const buckets = interval + 1;
      if (this.counts.length < buckets) this.counts = new Uint32Array(Math.max(buckets, this.counts.length * 2));
      const counts = this.counts;
      counts.fill(0, 0, buckets);
      for (let e = 0; e < n; e++) counts[offset[e]]++;
      // Exclusive prefix sums: where each offset's events start (the running sum stays in a register).
      let sum = 0;
      for (let k = 0; k < buckets; k++) {
        const c = counts[k];
        counts[k] = sum;
        sum += c;
      }
      for (let e = 0; e < n; e++) {
        const at = offset[e];
        const j = counts[at]++;
        const pixel = xy[e];
        t[j] = t0 + at;
        x[j] = pixel & 0xffff;
        y[j] = pixel >>> 16;
        p[j] = polarity[e];
      }
    } else {
      const order = this.sorter.sort(offset, n, interval);
      for (let j = 0; j < n; j++) {
        const e = order[j];
        const pixel = xy[e];
        t[j] = t0 + offset[e];
        x[j] = pixel & 0xffff;
        y[j] = pixel >>> 16;
        p[j] = polarity[e];
      }
    }
    return makeBatch(geometry, t, x, y, p);
  }
}

function grown<T extends Uint32Array | Uint8Array>(from: T, to: T, used: number): T {
  to.set(from.subarray(0, used));
  return to;
}
