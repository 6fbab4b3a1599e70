import { Observable, type OperatorFunction } from 'rxjs';
import type { SpikeBatch } from '../../events/spikeBatch.ts';
import type { Network, NetworkOutput } from '../network.ts';

/**
 * Feeds each input SpikeBatch to the network and advances simulated time to the batch's `until`, emitting the
 * output spikes of every population for that span. Network state persists across batches (and across
 * subscriptions: the network is the caller's object). An engine error (e.g. input times going backwards) ends
 * the stream with that error.
 */
export function simulate(network: Network): OperatorFunction<SpikeBatch, NetworkOutput> {
  return (source) =>
    new Observable<NetworkOutput>((subscriber) =>
      source.subscribe({
        next(batch) {
          let output: NetworkOutput;
          try {
            output = network.run(batch, batch.until);
          } catch (error) {
            subscriber.error(error);
            return;
          }
          subscriber.next(output);
        },
        error: (error) => subscriber.error(error),
        complete: () => subscriber.complete(),
      }),
    );
}
