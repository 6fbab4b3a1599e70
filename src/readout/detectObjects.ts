import { Observable, type OperatorFunction } from 'rxjs';
import { encode } from '../encoding/encode.ts';
import { cellGrid, type EncoderOptions } from '../encoding/encoderOptions.ts';
import type { EventBatch } from '../events/eventBatch.ts';
import type { Network } from '../snn/network.ts';
import type { DetectionFrame } from './detectionFrame.ts';
import { buildDetectionLayer, DEFAULT_DETECTION_LAYER, DETECTION_POPULATION, type DetectionLayerOptions } from './detectionNetwork.ts';
import { Detector, type DetectorOptions } from './detector.ts';

export interface DetectObjectsOptions {
  readonly encoder?: Partial<Pick<EncoderOptions, 'pool' | 'polarity'>>;
  readonly layer?: Partial<DetectionLayerOptions>;
  readonly detector?: Partial<DetectorOptions>;
}

/**
 * Events → tracked boxes, the whole detection path in one operator: pooled input cells, the DOTIE-style LIF
 * layer on the SNN engine, components, boxes and the tracker. One DetectionFrame per readout period of event
 * time (empty frames included, so a consumer sees time advance).
 */
export function detectObjects(options: DetectObjectsOptions = {}): OperatorFunction<EventBatch, DetectionFrame> {
  const encoder = { pool: 4, polarity: 'separate' as const, ...options.encoder, population: 'input' };
  const layer = { ...DEFAULT_DETECTION_LAYER, ...options.layer };
  return (source) =>
    new Observable<DetectionFrame>((subscriber) => {
      let network: Pick<Network, 'run'> | undefined;
      let detector: Detector | undefined;
      let firstT: number | undefined;
      const subscription = source
        .pipe(
          (events) =>
            new Observable<EventBatch>((inner) =>
              events.subscribe({
                next(batch) {
                  if (!network && batch.length > 0) {
                    try {
                      const grid = cellGrid(batch, encoder);
                      network = buildDetectionLayer(grid, encoder.population, layer);
                      const geometry = { channels: grid.channels, cellsX: grid.width, cellsY: grid.height, pool: grid.pool, width: batch.width, height: batch.height };
                      detector = new Detector(geometry, options.detector);
                      firstT = batch.t[0];
                    } catch (error) {
                      inner.error(error);
                      return;
                    }
                  }
                  detector?.events(batch);
                  inner.next(batch);
                },
                error: (error) => inner.error(error),
                complete: () => inner.complete(),
              }),
            ),
          encode(encoder),
        )
        .subscribe({
          next(spikes) {
            try {
              const output = network!.run(spikes, spikes.until);
              const frames = detector!.push(output.spikes[DETECTION_POPULATION], spikes.until, firstT, spikes);
              for (const frame of frames) subscriber.next(frame);
            } catch (error) {
              subscriber.error(error);
            }
          },
          error: (error) => subscriber.error(error),
          complete: () => subscriber.complete(),
        });
      return () => subscription.unsubscribe();
    });
}
