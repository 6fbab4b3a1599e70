import type { EventBatch } from '../events/eventBatch.ts';

/**
 * A time surface of raw events: per pixel and polarity the time of the latest event, shown at time T as
 * exp(-(T - t_last) / tau). `values(T)` lays the two polarities out like a two-channel grid (OFF plane, then
 * ON plane) so that renderGrid can show it with pool 1.
 */
export class TimeSurface {
  private readonly last: Float64Array;

  constructor(
    readonly width: number,
    readonly height: number,
    readonly tauUs: number,
  ) {
    this.last = new Float64Array(2 * width * height).fill(-Infinity);
  }

  add(events: EventBatch): void {
    const { t, x, y, p, length } = events;
    const plane = this.width * this.height;
    const w = this.width;
    const last = this.last;
    for (let i = 0; i < length; i++) last[p[i] * plane + y[i] * w + x[i]] = t[i];
  }

  values(at: number, out = new Float32Array(this.last.length)): Float32Array {
    const last = this.last;
    const k = -1 / this.tauUs;
    for (let i = 0; i < last.length; i++) {
      const dt = at - last[i];
      out[i] = dt === Infinity ? 0 : Math.exp(dt * k);
    }
    return out;
  }
}
