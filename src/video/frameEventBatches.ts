import type { EventBatch } from '../events/eventBatch.ts';
import { DvsModel } from './dvsModel.ts';
import { resolveDvsOptions, type DvsModelOptions } from './dvsModelOptions.ts';
import type { Frame } from './frame.ts';

/**
 * `framesToEvents` for pull-paced frame sources: one EventBatch per frame (the first is empty), the next frame
 * requested only when the consumer asks for the next batch. Options are checked before the first frame.
 */
export async function* frameEventBatches(
  frames: AsyncIterable<Frame>,
  options: DvsModelOptions = {},
): AsyncGenerator<EventBatch, void, undefined> {
  resolveDvsOptions(options);
  let model: DvsModel | undefined;
  for await (const frame of frames) {
    model ??= new DvsModel(frame.width, frame.height, options);
    yield model.pushFrame(frame);
  }
}
