import type { Observable } from 'rxjs';
import { ConfigError } from '../errors.ts';
import type { EventBatch } from '../events/eventBatch.ts';
import type { SourceSpec } from './pipelineSpec.ts';

type FrameSourceModule = Record<string, (arg: string, options: Record<string, unknown>) => Observable<EventBatch>>;

/**
 * Video, image-folder and webcam sources (the video converter's), loaded when a pipeline uses one so that
 * event-file pipelines do not depend on them. Video times start at 0 µs at the first frame.
 */
export async function openFrameSource(source: SourceSpec): Promise<Observable<EventBatch>> {
  const [file, name, arg] =
    source.type === 'video'
      ? ['fromVideo.ts', 'fromVideo', source.path]
      : source.type === 'images'
        ? ['fromImageFolder.ts', 'fromImageFolder', source.path]
        : source.type === 'webcam'
          ? ['fromWebcam.ts', 'fromWebcam', source.device]
          : ['', '', ''];
  if (!file) throw new ConfigError('source.type', source.type, 'video, images or webcam');
  let module: FrameSourceModule;
  try {
    module = (await import(new URL(`../sources/${file}`, import.meta.url).href)) as FrameSourceModule;
  } catch (error) {
    throw new ConfigError('source.type', source.type, `a source this build has (${(error as Error).message})`, { cause: error });
  }
  const options = 'fps' in source && source.fps !== undefined ? { fps: source.fps } : {};
  return module[name](arg, options);
}
