import type { Observable } from 'rxjs';
import { ConfigError } from '../errors.ts';
import type { EventBatch } from '../events/eventBatch.ts';
import { fromImageFolder } from '../sources/fromImageFolder.ts';
import { fromVideo } from '../sources/fromVideo.ts';
import { fromWebcam } from '../sources/fromWebcam.ts';
import type { SourceSpec } from './pipelineSpec.ts';

/** Video, image-folder and webcam sources (through the DVS model). Video times start at 0 µs at the first frame. */
export async function openFrameSource(source: SourceSpec): Promise<Observable<EventBatch>> {
  const fps = 'fps' in source && source.fps !== undefined ? { fps: source.fps } : {};
  switch (source.type) {
    case 'video':
      return fromVideo(source.path, fps);
    case 'images':
      return fromImageFolder(source.path, fps);
    case 'webcam':
      return fromWebcam(source.device === 'default' ? undefined : source.device);
    default:
      throw new ConfigError('source.type', source.type, 'video, images or webcam');
  }
}
