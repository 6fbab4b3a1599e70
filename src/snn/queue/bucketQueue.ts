import { BinaryHeapQueue } from './binaryHeapQueue.ts';
import type { SpikeQueue } from './spikeQueue.ts';

/**
 * Calendar queue with 1 µs buckets over a window [base, base + span), base being the scheduler's current time
 * (no later push can be earlier). Entries inside the window go to their bucket in O(1); entries beyond it (far
 * wake-ups) wait in a heap and move into their bucket when the window slides over their time, before anything
 * else can be pushed at that time, so every bucket stays in insertion order and ordering equals the heap's.
 */
export class BucketQueue implements SpikeQueue {
  readonly kind = 'bucket';
  size = 0;
  poppedGroup = 0;
  poppedNeuron = 0;
  private readonly span: number;
  private readonly mask: number;
  private readonly head: Int32Array;
  private readonly tail: Int32Array;
  private time = new Float64Array(256);
  private group = new Int32Array(256);
  private neuron = new Int32Array(256);
  private next = new Int32Array(256);
  private free = -1;
  private used = 0;
  private base = 0;
  /** Time of the first non-empty bucket (valid while inWindow > 0). */
  private scan = 0;
  private inWindow = 0;
  private readonly far = new BinaryHeapQueue();

  constructor(maxDelayUs: number) {
    let span = 64;
    while (span <= maxDelayUs + 1) span *= 2;
    this.span = span;
    this.mask = span - 1;
    this.head = new Int32Array(span).fill(-1);
    this.tail = new Int32Array(span).fill(-1);
  }

  peekTime(): number {
    if (this.inWindow === 0) return this.far.peekTime();
    while (this.head[this.scan & this.mask] === -1) this.scan++;
    return this.scan;
  }

  push(t: number, group: number, neuron: number): void {
    this.size++;
    if (t - this.base < this.span) this.append(t, group, neuron);
    else this.far.push(t, group, neuron);
  }

  setNow(t: number): void {
    if (t <= this.base) return;
    this.base = t;
    // The window now reaches base + span: bring far entries in, in (time, insertion) order.
    while (this.far.size > 0 && this.far.peekTime() - t < this.span) {
      const ft = this.far.peekTime();
      this.far.pop();
      this.append(ft, this.far.poppedGroup, this.far.poppedNeuron);
    }
  }

  pop(): void {
    const t = this.peekTime();
    this.setNow(t);
    const slot = t & this.mask;
    const e = this.head[slot];
    this.poppedGroup = this.group[e];
    this.poppedNeuron = this.neuron[e];
    this.head[slot] = this.next[e];
    if (this.head[slot] === -1) this.tail[slot] = -1;
    this.next[e] = this.free;
    this.free = e;
    this.inWindow--;
    this.size--;
  }

  private append(t: number, group: number, neuron: number): void {
    let e = this.free;
    if (e === -1) {
      if (this.used === this.time.length) this.grow();
      e = this.used++;
    } else {
      this.free = this.next[e];
    }
    this.time[e] = t;
    this.group[e] = group;
    this.neuron[e] = neuron;
    this.next[e] = -1;
    const slot = t & this.mask;
    if (this.tail[slot] === -1) this.head[slot] = e;
    else this.next[this.tail[slot]] = e;
    this.tail[slot] = e;
    if (this.inWindow === 0 || t < this.scan) this.scan = t;
    this.inWindow++;
  }

  private grow(): void {
    const n = this.time.length * 2;
    const time = new Float64Array(n);
    time.set(this.time);
    const group = new Int32Array(n);
    group.set(this.group);
    const neuron = new Int32Array(n);
    neuron.set(this.neuron);
    const next = new Int32Array(n);
    next.set(this.next);
    this.time = time;
    this.group = group;
    this.neuron = neuron;
    this.next = next;
  }
}
