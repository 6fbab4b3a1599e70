import { Observable, type OperatorFunction } from 'rxjs';
import type { EventBatch } from '../events/eventBatch.ts';
import type { SpikeBatch } from '../events/spikeBatch.ts';
import { encodeEventsInto, sortNeuronsWithinTimestamps } from './encodeEvents.ts';
import { cellGrid, DEFAULT_ENCODER, type CellGrid, type EncoderOptions } from './encoderOptions.ts';

/**
 * Pixel events → input spikes for the `source` population `options.population` (one SpikeBatch per EventBatch).
 *
 * `until` promises that no later spike has t < until. A batch may end in the middle of a timestamp (decoders cut
 * at chunk boundaries), so the spikes of the batch's last timestamp are held back and sent with the next batch;
 * `until` is then that last timestamp. On completion the held-back spikes go out with `until = last t + 1`.
 */
export function encode(options: Partial<EncoderOptions> = {}): OperatorFunction<EventBatch, SpikeBatch> {
  const settings: EncoderOptions = { ...DEFAULT_ENCODER, ...options };
  const population = settings.population;
  return (source) =>
    new Observable<SpikeBatch>((subscriber) => {
      let grid: CellGrid | undefined;
      let heldT = new Float64Array(0);
      let heldNeuron = new Uint32Array(0);
      const subscription = source.subscribe({
        next(events) {
          try {
            grid ??= cellGrid(events, settings);
            if (events.length === 0) return;
            // Held-back spikes first, then this batch's, in one pair of arrays; one sort within timestamps.
            const t = new Float64Array(heldT.length + events.length);
            const neuron = new Uint32Array(t.length);
            t.set(heldT);
            neuron.set(heldNeuron);
            encodeEventsInto(events, 0, events.length, grid, t, neuron, heldT.length);
            sortNeuronsWithinTimestamps(t, neuron);
            const lastT = t[t.length - 1];
            let cut = t.length;
            while (cut > 0 && t[cut - 1] === lastT) cut--;
            heldT = t.slice(cut);
            heldNeuron = neuron.slice(cut);
            const outT = t.subarray(0, cut);
            subscriber.next({ t: outT, neuron: neuron.subarray(0, cut), length: cut, population, until: lastT });
          } catch (error) {
            subscriber.error(error);
          }
        },
        error(error) {
          subscriber.error(error);
        },
        complete() {
          if (heldT.length > 0) {
            const until = heldT[heldT.length - 1] + 1;
            subscriber.next({ t: heldT, neuron: heldNeuron, length: heldT.length, population, until });
          }
          subscriber.complete();
        },
      });
      return () => subscription.unsubscribe();
    });
}
