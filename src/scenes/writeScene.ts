import { mkdir, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { generateScene } from './generateScene.ts';
import type { SceneSpec } from './sceneSpec.ts';

/**
 * Writes a scene as a YUV4MPEG2 video (grey: `Cmono`), which ffmpeg reads without any codec. The frame rate is
 * written as a fraction (`F30:1`, or `F29970:1000`); frame n's presentation time is then n/fps.
 */
export async function writeSceneY4m(spec: SceneSpec, path: string): Promise<void> {
  const scene = generateScene(spec);
  const [num, den] = Number.isInteger(spec.fps) ? [spec.fps, 1] : [Math.round(spec.fps * 1000), 1000];
  const handle = await open(path, 'w');
  try {
    await handle.write(`YUV4MPEG2 W${scene.width} H${scene.height} F${num}:${den} Ip A1:1 Cmono\n`);
    for (const frame of scene.frames) {
      await handle.write('FRAME\n');
      await handle.write(frame.data);
    }
  } finally {
    await handle.close();
  }
}

/**
 * Writes a scene as an image folder: `t_<µs>.png` per frame (read back by fromImageFolder with those times) and
 * `truth.ndjson`, one line per frame `{"frame", "t", "boxes": [{id, x, y, w, h}]}`.
 */
export async function writeScenePngs(spec: SceneSpec, dir: string): Promise<void> {
  const scene = generateScene(spec);
  await mkdir(dir, { recursive: true });
  const digits = String(scene.frameTime(scene.frameCount - 1)).length;
  const truth: string[] = [];
  let n = 0;
  for (const frame of scene.frames) {
    const name = `t_${String(frame.t).padStart(digits, '0')}.png`;
    await sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 1 } }).png().toFile(join(dir, name));
    truth.push(JSON.stringify({ frame: n, t: frame.t, boxes: scene.truth(n) }));
    n++;
  }
  await writeFile(join(dir, 'truth.ndjson'), truth.join('\n') + '\n');
}
