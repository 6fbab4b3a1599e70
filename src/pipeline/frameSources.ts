import type { Observable } from 'rxjs';
import { ConfigError } from '../errors.ts';
import type { EventBatch } from '../events/eventBatch.ts';
import type { SourceSpec } from './pipelineSpec.ts';

/**
 * Cold sources (video files, image folders) are pulled: the next frame is decoded only when the pipeline asks,
 * so nothing is lost or buffered however slow the pipeline is. Live sources (webcam, NATS) run at their own
 * pace and are observed; the pipeline drops their oldest batches when it falls behind.
 */
export type FrameSource =
  | { readonly kind: 'pull'; readonly batches: AsyncGenerator<EventBatch, void, undefined> }
  | { readonly kind: 'live'; readonly events: Observable<EventBatch> };

/**
 * Sources that are not event files: video, image-folder and webcam (through the DVS model; video times start
 * at 0 µs at the first frame), and event streams from a NATS server. Each source's module is loaded when used:
 * sharp and the NATS client cost tens of MB of RSS that a run over an event file need not carry.
 */
export async function openFrameSource(source: SourceSpec): Promise<FrameSource> {
  const fps = 'fps' in source && source.fps !== undefined ? { fps: source.fps } : {};
  switch (source.type) {
    case 'video': {
      const { videoEventBatches } = await import('../sources/fromVideo.ts');
      return { kind: 'pull', batches: videoEventBatches(source.path, fps) };
    }
    case 'images': {
      const { imageFolderEventBatches } = await import('../sources/fromImageFolder.ts');
      return { kind: 'pull', batches: imageFolderEventBatches(source.path, fps) };
    }
    case 'webcam': {
      const { fromWebcam } = await import('../sources/fromWebcam.ts');
      return { kind: 'live', events: fromWebcam(source.device === 'default' ? undefined : source.device) };
    }
    case 'nats': {
      const { fromNats, parseReplay } = await import('../sources/fromNats.ts');
      return { kind: 'live', events: fromNats({
        url: source.url,
        stream: source.stream,
        ...(source.replay !== undefined ? { replay: parseReplay(source.replay) } : {}),
        ...(source.idleTimeoutMs !== undefined ? { idleTimeoutMs: source.idleTimeoutMs } : {}),
      }) };
    }
    default:
      throw new ConfigError('source.type', source.type, 'video, images, webcam or nats');
  }
}
