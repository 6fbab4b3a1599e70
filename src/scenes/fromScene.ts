import { defer, from, type Observable } from 'rxjs';
import type { EventBatch } from '../events/eventBatch.ts';
import type { DvsModelOptions } from '../video/dvsModelOptions.ts';
import type { Frame } from '../video/frame.ts';
import { framesToEvents } from '../video/framesToEvents.ts';
import { generateScene } from './generateScene.ts';
import type { SceneSpec } from './sceneSpec.ts';

/** A synthetic scene as a cold frame source (rendered frame by frame; stops rendering on unsubscribe). */
export function fromSceneFrames(spec: SceneSpec): Observable<Frame> {
  const scene = generateScene(spec);
  return defer(() => from(scene.frames));
}

/** A synthetic scene as DVS events. */
export function fromScene(spec: SceneSpec, options: DvsModelOptions = {}): Observable<EventBatch> {
  return fromSceneFrames(spec).pipe(framesToEvents(options));
}
