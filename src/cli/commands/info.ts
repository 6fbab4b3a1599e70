import type { Command } from 'commander';
import { ConfigError } from '../../errors.ts';
import { openEventFile, type OpenEventFileOptions } from '../../sources/openEventFile.ts';

/** The facts `spikeflow info --json` prints (the DESIGN.md contract). Times are the file's own (µs). */
export interface EventFileFacts {
  format: string;
  width: number;
  height: number;
  events: number;
  /** null when the file holds no events. */
  tFirst: number | null;
  tLast: number | null;
  on: number;
  off: number;
  triggers: number;
}

/** Streams a whole file once and counts: constant memory for files of any size. */
export async function eventFileFacts(path: string, options: OpenEventFileOptions = {}): Promise<EventFileFacts> {
  const file = await openEventFile(path, options);
  let events = 0;
  let on = 0;
  let triggers = 0;
  let tFirst: number | null = null;
  let tLast: number | null = null;
  for await (const batch of file.batches()) {
    if (batch.length > 0) {
      tFirst ??= batch.t[0]!;
      tLast = batch.t[batch.length - 1]!;
      events += batch.length;
      on += countOn(batch.p, batch.length);
    }
    triggers += batch.triggers?.length ?? 0;
  }
  const geometry = file.geometry() ?? { width: options.width ?? 0, height: options.height ?? 0 };
  return { format: file.format.name, width: geometry.width, height: geometry.height, events, tFirst, tLast, on, off: events - on, triggers };
}

function countOn(p: Uint8Array, length: number): number {
  let on = 0;
  for (let i = 0; i < length; i++) on += p[i]!;
  return on;
}

/** Parses a --width/--height value: a positive integer. */
export function parsePixels(parameter: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > 65536) throw new ConfigError(parameter, value, 'an integer in 1..65536');
    return n;
  };
}

function humanReadable(path: string, f: EventFileFacts): string {
  const n = (v: number) => v.toLocaleString('en-US');
  const span = f.tFirst === null ? 'no events' : `${f.tFirst} .. ${f.tLast} µs (${((f.tLast! - f.tFirst) / 1e6).toFixed(6)} s)`;
  const rows: [string, string][] = [
    ['file', path],
    ['format', f.format],
    ['geometry', `${f.width} x ${f.height}`],
    ['events', n(f.events)],
    ['ON', n(f.on)],
    ['OFF', n(f.off)],
    ['time', span],
    ['triggers', n(f.triggers)],
  ];
  return rows.map(([k, v]) => `${k.padEnd(9)} ${v}`).join('\n') + '\n';
}

export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('Count the events of a recording: format, geometry, events, first/last time, ON/OFF, triggers')
    .argument('<file>', 'an event file (format detected from its header)')
    .option('--json', 'print one JSON object')
    .option('--format <name>', 'read as this format instead of detecting it')
    .option('--width <px>', 'sensor width, where the file does not say', parsePixels('--width'))
    .option('--height <px>', 'sensor height, where the file does not say', parsePixels('--height'))
    .action(async (path: string, opts: { json?: boolean; format?: string; width?: number; height?: number }) => {
      const facts = await eventFileFacts(path, { format: opts.format, width: opts.width, height: opts.height });
      process.stdout.write(opts.json ? JSON.stringify(facts) + '\n' : humanReadable(path, facts));
    });
}
