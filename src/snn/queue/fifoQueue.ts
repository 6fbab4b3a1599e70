import { SpikeflowError } from '../../errors.ts';
import type { SpikeQueue } from './spikeQueue.ts';

/**
 * Ring-buffer FIFO: valid when entries are pushed in non-decreasing time order, which holds when the whole
 * network has a single delay (spikes are emitted in time order, each arrives a constant delay later).
 * Then FIFO order is exactly (time, insertion) order, with O(1) push and pop.
 */
export class FifoQueue implements SpikeQueue {
  readonly kind = 'fifo';
  size = 0;
  poppedGroup = 0;
  poppedNeuron = 0;
  private time = new Float64Array(256);
  private group = new Int32Array(256);
  private neuron = new Int32Array(256);
  private head = 0;
  private mask = 255;
  private lastTime = -Infinity;

  setNow(): void {}

  peekTime(): number {
    return this.size === 0 ? Infinity : this.time[this.head];
  }

  push(t: number, group: number, neuron: number): void {
    if (t < this.lastTime) {
      throw new SpikeflowError(`fifo queue: entry at ${t} µs pushed after one at ${this.lastTime} µs (use the heap queue when delays differ)`);
    }
    this.lastTime = t;
    if (this.size > this.mask) this.grow();
    const i = (this.head + this.size++) & this.mask;
    this.time[i] = t;
    this.group[i] = group;
    this.neuron[i] = neuron;
  }

  pop(): void {
    const i = this.head;
    this.poppedGroup = this.group[i];
    this.poppedNeuron = this.neuron[i];
    this.head = (i + 1) & this.mask;
    this.size--;
  }

  private grow(): void {
    const n = this.mask + 1;
    const time = new Float64Array(2 * n);
    const group = new Int32Array(2 * n);
    const neuron = new Int32Array(2 * n);
    for (let k = 0; k < this.size; k++) {
      const i = (this.head + k) & this.mask;
      time[k] = this.time[i];
      group[k] = this.group[i];
      neuron[k] = this.neuron[i];
    }
    this.time = time;
    this.group = group;
    this.neuron = neuron;
    this.head = 0;
    this.mask = 2 * n - 1;
  }
}
