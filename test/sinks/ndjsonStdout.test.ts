import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/shared.ts';

describe('ndjson sink to stdout', () => {
  // The registry maps the option `"path": "-"` to this; importing the sink alone keeps the child fast.
  it("path '-' writes the lines to stdout and leaves it open", () => {
    const script = `
      import { ndjsonSink } from './src/sinks/ndjsonSink.ts';
      const sink = await ndjsonSink({ path: '-', include: ['detections'] });
      await sink.write({ kind: 'detections', detections: { t: 7, width: 10, height: 10, boxes: [{ id: 4, x: 1, y: 2, w: 3, h: 4, score: 0.25 }] } });
      const stats = await sink.close();
      process.stdout.write('after close ' + JSON.stringify(stats) + '\\n');
    `;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO, encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('{"t":7,"id":4,"x":1,"y":2,"w":3,"h":4,"score":0.25}\nafter close {"written":1,"dropped":0,"lines":1,"ignored":0}\n');
  });
});
