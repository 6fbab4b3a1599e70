import type { EventBatch } from '../../events/eventBatch.ts';
import type { EncoderOptions, EventEncoder } from '../types.ts';
import { checkEvents } from '../checkEvents.ts';

/**
 * CSV encoder: a `# width height` comment (so the geometry survives a round trip), the header `t,x,y,p`,
 * then one line per event with t in integer µs and p as 0/1.
 */
export function createCsvEncoder(options: EncoderOptions): EventEncoder {
  const { width, height } = options;
  const text = new TextEncoder();
  let lastT = 0;
  return {
    header: () => text.encode(`# ${width} ${height}\nt,x,y,p\n`),
    encode(batch: EventBatch) {
      lastT = checkEvents(batch, width, height, lastT);
      const { t, x, y, p } = batch;
      const lines: string[] = new Array<string>(batch.length);
      for (let i = 0; i < batch.length; i++) lines[i] = `${t[i]},${x[i]},${y[i]},${p[i]! & 1}\n`;
      return text.encode(lines.join(''));
    },
    end: () => new Uint8Array(0),
  };
}
