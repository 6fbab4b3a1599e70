import { Observable, type OperatorFunction } from 'rxjs';
import type { EventBatch } from '../events/eventBatch.ts';
import { DvsModel } from './dvsModel.ts';
import { resolveDvsOptions, type DvsModelOptions } from './dvsModelOptions.ts';
import type { Frame } from './frame.ts';

/**
 * Turns a stream of luma frames into DVS events: one EventBatch per frame (the events since the previous frame,
 * sorted by time; the first frame's batch is empty). The model (thresholds, references) is created on the
 * first frame of each subscription, so two subscriptions with one seed produce identical streams.
 * Options are checked when the operator is made (ConfigError naming the option).
 */
export function framesToEvents(options: DvsModelOptions = {}): OperatorFunction<Frame, EventBatch> {
  resolveDvsOptions(options);
  return (source) =>
    new Observable<EventBatch>((subscriber) => {
      let model: DvsModel | undefined;
      const subscription = source.subscribe({
        next(frame) {
          let batch: EventBatch;
          try {
            model ??= new DvsModel(frame.width, frame.height, options);
            batch = model.pushFrame(frame);
          } catch (error) {
            subscriber.error(error);
            return;
          }
          subscriber.next(batch);
        },
        error: (error) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
      return () => {
        subscription.unsubscribe();
        model = undefined;
      };
    });
}
