import type { DetectionFrame } from './detectionFrame.ts';

/**
 * The NDJSON lines of a frame, exactly the output contract: `{"t","id","x","y","w","h","score"}` per box,
 * x, y the top-left corner in sensor pixels, t in µs.
 */
export function detectionLines(frame: DetectionFrame): string {
  let text = '';
  for (const b of frame.boxes) {
    text += `{"t":${frame.t},"id":${b.id},"x":${b.x},"y":${b.y},"w":${b.w},"h":${b.h},"score":${b.score}}\n`;
  }
  return text;
}
