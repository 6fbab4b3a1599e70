import type { EventBatch } from '../events/eventBatch.ts';
import type { SpikeBatch } from '../events/spikeBatch.ts';
import type { DetectionFrame } from '../readout/detectionFrame.ts';

/** What flows from a pipeline into its sinks. */
export type StreamItem =
  | { readonly kind: 'events'; readonly events: EventBatch }
  | { readonly kind: 'spikes'; readonly spikes: SpikeBatch }
  | { readonly kind: 'detections'; readonly detections: DetectionFrame };

/**
 * A consumer of pipeline output. `write` returns a promise only when the sink applies back-pressure (policy
 * 'block': the pipeline waits before pulling more from a cold source); sinks with policy 'drop-oldest' never
 * block and count what they dropped. `close` flushes and reports counters.
 */
export interface Sink {
  readonly name: string;
  write(item: StreamItem): void | Promise<void>;
  close(): Promise<SinkStats>;
}

export interface SinkStats {
  readonly written: number;
  readonly dropped: number;
  readonly [counter: string]: number;
}
