import type { EventBatch } from '../events/eventBatch.ts';

/**
 * The raw events of the last few milliseconds, struct-of-arrays in one growable window: appended batch by
 * batch, dropped from the front once they are older than the caller needs (`dropBefore`). Storage is
 * compacted in place when the front has moved past half of it, so appending is amortised O(events) and no
 * object is made per event.
 *
 * Each event is also marked `onset` when its pixel's previous event had the other polarity or was at least
 * `quietUs` earlier: the first event of a pixel that an edge reaches. A slow photoreceptor keeps a pixel
 * firing for tens of milliseconds after the edge has passed, ever more slowly (the tail behind a moving
 * object); those repeats have the same polarity and are not onsets. An object passing a pixel gives at most
 * two onsets there (its leading edge, then its trailing edge with the other sign).
 */
export class RecentEvents {
  t = new Float64Array(4096);
  x = new Uint16Array(4096);
  y = new Uint16Array(4096);
  p = new Uint8Array(4096);
  onset = new Uint8Array(4096);
  /** Index of the oldest event kept. */
  start = 0;
  /** One past the newest event. */
  end = 0;
  /**
   * Per pixel: time of its last event, and its polarity + 1 (0: no event yet, which no polarity equals, so a
   * pixel's first event is an onset). Zero-initialised on purpose: a 1280×720 map filled with a sentinel cost
   * more than the whole run of a short recording; untouched zero pages are never even mapped.
   */
  private readonly lastT: Float64Array;
  private readonly lastP: Uint16Array;

  constructor(
    readonly width: number,
    readonly height: number,
    readonly quietUs: number,
  ) {
    this.lastT = new Float64Array(width * height);
    this.lastP = new Uint16Array(width * height); // polarity + 1 of any byte value
  }

  add(batch: EventBatch): void {
    const n = batch.length;
    if (n === 0) return;
    this.reserve(n);
    const at = this.end;
    this.t.set(batch.t, at);
    this.x.set(batch.x, at);
    this.y.set(batch.y, at);
    this.p.set(batch.p, at);
    const { lastT, lastP, onset, quietUs, width } = this;
    const { t, x, y, p } = batch;
    for (let i = 0; i < n; i++) {
      const pixel = y[i] * width + x[i];
      const polarity = p[i] + 1;
      onset[at + i] = polarity !== lastP[pixel] || t[i] - lastT[pixel] >= quietUs ? 1 : 0;
      lastT[pixel] = t[i];
      lastP[pixel] = polarity;
    }
    this.end = at + n;
  }

  /** Forgets the events with t < t0 (they arrive in time order, so they are a prefix). */
  dropBefore(t0: number): void {
    let i = this.start;
    const { t, end } = this;
    while (i < end && t[i] < t0) i++;
    this.start = i;
  }

  /** The index range [from, to) of the kept events with t0 <= t < t1 (binary search: t never decreases). */
  range(t0: number, t1: number): [number, number] {
    return [this.lowerBound(t0), this.lowerBound(t1)];
  }

  private lowerBound(v: number): number {
    let lo = this.start;
    let hi = this.end;
    const t = this.t;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (t[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Room for n more events: slide the kept ones to the front, and double the storage when that is not enough. */
  private reserve(n: number): void {
    const kept = this.end - this.start;
    if (this.end + n <= this.t.length && this.start < this.t.length / 2) return;
    let size = this.t.length;
    while (kept + n > size) size *= 2;
    const move = <A extends Float64Array | Uint16Array | Uint8Array>(a: A, make: (s: number) => A): A => {
      const out = size === a.length ? a : make(size);
      if (out === a) a.copyWithin(0, this.start, this.end);
      else out.set(a.subarray(this.start, this.end));
      return out;
    };
    this.t = move(this.t, (s) => new Float64Array(s));
    this.x = move(this.x, (s) => new Uint16Array(s));
    this.y = move(this.y, (s) => new Uint16Array(s));
    this.p = move(this.p, (s) => new Uint8Array(s));
    this.onset = move(this.onset, (s) => new Uint8Array(s));
    this.start = 0;
    this.end = kept;
  }
}
