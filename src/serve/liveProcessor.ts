import type { EventBatch } from '../events/eventBatch.ts';
import type { SpikeBatch } from '../events/spikeBatch.ts';
import type { DetectionFrame } from '../readout/detectionFrame.ts';
import type { CameraFrame } from './cameraFrameMessage.ts';

/** What the page's controls change. */
export interface LiveSettings {
  /** DVS contrast threshold (log intensity). */
  threshold: number;
  /** Pixels per SNN input cell side. */
  pooling: number;
}

/** The grid that the spike frames index (sent to the page when it changes). */
export interface LiveLayout {
  readonly cellsX: number;
  readonly cellsY: number;
  readonly pool: number;
  readonly width: number;
  readonly height: number;
}

/** Everything one camera frame produced. Detections are in the camera frame's pixel space. */
export interface LiveOutput {
  readonly events: EventBatch;
  readonly spikes?: SpikeBatch;
  readonly detections: DetectionFrame;
  readonly layout?: LiveLayout;
}

/** Processes one camera's frames synchronously, in order (state persists between frames). */
export interface LiveProcessor {
  process(frame: CameraFrame): LiveOutput;
}
