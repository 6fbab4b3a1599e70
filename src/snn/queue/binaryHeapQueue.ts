import type { SpikeQueue } from './spikeQueue.ts';

/** Binary min-heap on typed arrays keyed by (time, insertion sequence). Works for any delays. */
export class BinaryHeapQueue implements SpikeQueue {
  readonly kind = 'heap';
  size = 0;
  poppedGroup = 0;
  poppedNeuron = 0;
  private time = new Float64Array(256);
  private seq = new Float64Array(256);
  private group = new Int32Array(256);
  private neuron = new Int32Array(256);
  private nextSeq = 0;

  setNow(): void {}

  peekTime(): number {
    return this.size === 0 ? Infinity : this.time[0];
  }

  push(t: number, group: number, neuron: number): void {
    if (this.size === this.time.length) this.grow();
    const seq = this.nextSeq++;
    const { time, seq: seqs, group: groups, neuron: neurons } = this;
    let i = this.size++;
    // Sift up: move parents down until the slot for the new entry is found.
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = time[parent];
      if (pt < t || (pt === t && seqs[parent] < seq)) break;
      time[i] = pt;
      seqs[i] = seqs[parent];
      groups[i] = groups[parent];
      neurons[i] = neurons[parent];
      i = parent;
    }
    time[i] = t;
    seqs[i] = seq;
    groups[i] = group;
    neurons[i] = neuron;
  }

  pop(): void {
    const { time, seq, group, neuron } = this;
    this.poppedGroup = group[0];
    this.poppedNeuron = neuron[0];
    const n = --this.size;
    if (n === 0) return;
    const t = time[n];
    const s = seq[n];
    const g = group[n];
    const u = neuron[n];
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && (time[right] < time[child] || (time[right] === time[child] && seq[right] < seq[child]))) child = right;
      const ct = time[child];
      if (t < ct || (t === ct && s < seq[child])) break;
      time[i] = ct;
      seq[i] = seq[child];
      group[i] = group[child];
      neuron[i] = neuron[child];
      i = child;
    }
    time[i] = t;
    seq[i] = s;
    group[i] = g;
    neuron[i] = u;
  }

  private grow(): void {
    const size = this.time.length * 2;
    const time = new Float64Array(size);
    time.set(this.time);
    const seq = new Float64Array(size);
    seq.set(this.seq);
    const group = new Int32Array(size);
    group.set(this.group);
    const neuron = new Int32Array(size);
    neuron.set(this.neuron);
    this.time = time;
    this.seq = seq;
    this.group = group;
    this.neuron = neuron;
  }
}
