import type { Observable } from 'rxjs';
import { ConfigError } from '../errors.ts';
import type { EventBatch } from '../events/eventBatch.ts';
import { fromImageFolder } from '../sources/fromImageFolder.ts';
import { fromNats, parseReplay } from '../sources/fromNats.ts';
import { fromVideo } from '../sources/fromVideo.ts';
import { fromWebcam } from '../sources/fromWebcam.ts';
import type { SourceSpec } from './pipelineSpec.ts';

/**
 * Sources that are not event files: video, image-folder and webcam (through the DVS model; video times start
 * at 0 µs at the first frame), and event streams from a NATS server.
 */
export async function openFrameSource(source: SourceSpec): Promise<Observable<EventBatch>> {
  const fps = 'fps' in source && source.fps !== undefined ? { fps: source.fps } : {};
  switch (source.type) {
    case 'video':
      return fromVideo(source.path, fps);
    case 'images':
      return fromImageFolder(source.path, fps);
    case 'webcam':
      return fromWebcam(source.device === 'default' ? undefined : source.device);
    case 'nats':
      return fromNats({
        url: source.url,
        stream: source.stream,
        ...(source.replay !== undefined ? { replay: parseReplay(source.replay) } : {}),
        ...(source.idleTimeoutMs !== undefined ? { idleTimeoutMs: source.idleTimeoutMs } : {}),
      });
    default:
      throw new ConfigError('source.type', source.type, 'video, images, webcam or nats');
  }
}
