import type { EventBatch } from '../events/eventBatch.ts';
import type { SpikeBatch } from '../events/spikeBatch.ts';
import type { DetectionFrame } from '../readout/detectionFrame.ts';
import { openByteOutput } from './byteOutput.ts';
import type { Sink, SinkStats, StreamItem } from './types.ts';

/**
 * Newline-delimited JSON to a file or stdout ('-'). One line per record:
 * - detections: one line per box, exactly `{"t","id","x","y","w","h","score"}` (the detections.ndjson contract);
 * - spikes: one line per batch, `{"type":"spikes","population","until","t":[…],"neuron":[…]}`;
 * - events: by default one compact line per batch, `{"type":"events","width","height","t":[…],"x":[…],"y":[…],"p":[…]}`;
 *   with `events: 'lines'` one `{"t","x","y","p"}` line per event (large: only when asked); 'none' skips them.
 * `include` picks which item kinds are written. Writing blocks (returns a promise) while the file is behind.
 */
export interface NdjsonSinkOptions {
  /** Absolute file path, or '-' for stdout. */
  readonly path: string;
  readonly include?: readonly StreamItem['kind'][];
  readonly events?: 'batch' | 'lines';
}

export async function ndjsonSink(options: NdjsonSinkOptions): Promise<Sink> {
  const output = await openByteOutput(options.path);
  const include = new Set(options.include ?? ['events', 'spikes', 'detections']);
  const perEvent = options.events === 'lines';
  let written = 0;
  let lines = 0;
  let ignored = 0;
  return {
    name: 'ndjson',
    write: function writeNdjson(item) {
      if (!include.has(item.kind)) {
        ignored++;
        return undefined;
      }
      written++;
      const { text, count } = formatItem(item, perEvent);
      lines += count;
      return text.length > 0 ? output.write(text) : undefined;
    },
    async close(): Promise<SinkStats> {
      await output.close();
      return { written, dropped: 0, lines, ignored };
    },
  };
}

function formatItem(item: StreamItem, perEvent: boolean): { text: string; count: number } {
  let text: string;
  let count: number;
  if (item.kind === 'detections') [text, count] = detectionLines(item.detections);
  else if (item.kind === 'spikes') [text, count] = [spikeLine(item.spikes), 1];
  else if (perEvent) [text, count] = eventLines(item.events);
  else [text, count] = [eventBatchLine(item.events), 1];
  return { text, count };
}

function detectionLines(frame: DetectionFrame): [string, number] {
  let text = '';
  for (const b of frame.boxes) {
    text += `{"t":${frame.t},"id":${b.id},"x":${b.x},"y":${b.y},"w":${b.w},"h":${b.h},"score":${b.score}}\n`;
  }
  return [text, frame.boxes.length];
}

function spikeLine(s: SpikeBatch): string {
  const n = s.length;
  return `{"type":"spikes","population":${JSON.stringify(s.population)},"until":${s.until},"t":[${s.t.subarray(0, n).join(',')}],"neuron":[${s.neuron.subarray(0, n).join(',')}]}\n`;
}

function eventBatchLine(e: EventBatch): string {
  const n = e.length;
  return (
    `{"type":"events","width":${e.width},"height":${e.height},"t":[${e.t.subarray(0, n).join(',')}],` +
    `"x":[${e.x.subarray(0, n).join(',')}],"y":[${e.y.subarray(0, n).join(',')}],"p":[${e.p.subarray(0, n).join(',')}]}\n`
  );
}

function eventLines(e: EventBatch): [string, number] {
  // Only when asked: a line per event costs a string per event. Joined once, written once per batch.
  const parts: string[] = [];
  for (let i = 0; i < e.length; i++) parts.push(`{"t":${e.t[i]},"x":${e.x[i]},"y":${e.y[i]},"p":${e.p[i]}}`);
  return [parts.length > 0 ? parts.join('\n') + '\n' : '', e.length];
}
