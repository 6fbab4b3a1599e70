/**
 * A projection's synapses as parallel typed arrays, in the order they were created. Order matters: it is the
 * order in which same-timestamp arrivals are summed, so it is kept from the file or connect kind to the CSR rows.
 */
export interface SynapseList {
  pre: Int32Array;
  post: Int32Array;
  w: Float64Array;
  /** Per-synapse delays in µs, or null when the projection's single delay applies. */
  delayUs: Float64Array | null;
  length: number;
}

/** Growable builder so connect kinds never need one object per synapse. */
export class SynapseListBuilder {
  private pre = new Int32Array(1024);
  private post = new Int32Array(1024);
  private w = new Float64Array(1024);
  length = 0;

  add(pre: number, post: number, w: number): void {
    if (this.length === this.pre.length) this.grow();
    const i = this.length++;
    this.pre[i] = pre;
    this.post[i] = post;
    this.w[i] = w;
  }

  finish(): SynapseList {
    const n = this.length;
    return { pre: this.pre.slice(0, n), post: this.post.slice(0, n), w: this.w.slice(0, n), delayUs: null, length: n };
  }

  private grow(): void {
    const size = this.pre.length * 2;
    const pre = new Int32Array(size);
    pre.set(this.pre);
    const post = new Int32Array(size);
    post.set(this.post);
    const w = new Float64Array(size);
    w.set(this.w);
    this.pre = pre;
    this.post = post;
    this.w = w;
  }
}
