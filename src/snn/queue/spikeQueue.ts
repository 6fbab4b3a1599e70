/**
 * The scheduler's queue of pending deliveries: one entry per emitted spike per distinct delay (`group` names the
 * source population and delay, `neuron` the spiking neuron). Every implementation pops in the same order:
 * by time, then by insertion order, so results never depend on which queue is used.
 */
export interface SpikeQueue {
  readonly kind: string;
  readonly size: number;
  /** Delivery time of the earliest entry, or Infinity when empty. */
  peekTime(): number;
  push(t: number, group: number, neuron: number): void;
  /** Removes the earliest entry and leaves its fields in poppedGroup / poppedNeuron (no object per entry). */
  pop(): void;
  poppedGroup: number;
  /** The scheduler reached time t: nothing earlier will be pushed (lets a calendar queue slide its window). */
  setNow(t: number): void;
  poppedNeuron: number;
}

export const queueKinds = ['auto', 'heap', 'fifo', 'bucket'] as const;
