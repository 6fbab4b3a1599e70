import { open, rename, rm } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { Command } from 'commander';
import { ConfigError, SpikeflowError } from '../../errors.ts';
import type { EventBatch } from '../../events/eventBatch.ts';
import type { Geometry } from '../../events/geometry.ts';
import { formatByExtension, formatByName } from '../../formats/registry.ts';
import type { EncoderOptions, FormatModule } from '../../formats/types.ts';
import { openEventFile, type OpenEventFileOptions } from '../../sources/openEventFile.ts';
import { parsePixels } from './info.ts';

export interface ConvertOptions extends OpenEventFileOptions {
  /** Output format name; from the output's extension when absent. */
  readonly to?: string;
}

export interface ConvertSummary {
  from: string;
  to: string;
  events: number;
  triggers: number;
  geometry: Geometry;
}

/** Formats whose files have no place for external triggers (convert says so when the input has some). */
const NO_TRIGGER_RECORDS = new Set(['dat', 'nmnist', 'es', 'csv', 'npy']);

/**
 * Streams `input` into `output` batch by batch (constant memory), through the target format's encoder or its
 * `writeFile`. The output is written to a temporary name and renamed at the end, so a failed conversion (an
 * event the target cannot hold, a damaged input) leaves no half-written file behind.
 */
export async function convertEventFile(input: string, output: string, options: ConvertOptions = {}): Promise<ConvertSummary> {
  if (resolve(input) === resolve(output)) throw new ConfigError('output', output, 'a path other than the input');
  const target = targetFormat(output, options.to);
  const file = await openEventFile(input, options);
  const batches = file.batches();
  const first = await batches.next();
  const geometry = file.geometry() ?? { width: options.width ?? 1, height: options.height ?? 1 };
  const encoderOptions: EncoderOptions = { width: geometry.width, height: geometry.height, source: basename(input) };
  let events = 0;
  let triggers = 0;
  async function* counted(): AsyncGenerator<EventBatch, void, undefined> {
    let step: IteratorResult<EventBatch, void> = first;
    while (!step.done) {
      events += step.value.length;
      triggers += step.value.triggers?.length ?? 0;
      yield step.value;
      step = await batches.next();
    }
  }
  const partial = `${output}.partial-${process.pid}`;
  try {
    if (target.writeFile) await target.writeFile(partial, counted(), encoderOptions);
    else await encodeTo(partial, target, counted(), encoderOptions);
    await rename(partial, output);
  } catch (error) {
    await batches.return(undefined);
    await rm(partial, { force: true });
    if (error instanceof ConfigError) {
      throw new SpikeflowError(`cannot write ${input} as ${target.name}: the format cannot hold its events: ${error.message}`, {
        cause: error,
      });
    }
    throw error;
  }
  if (triggers > 0 && NO_TRIGGER_RECORDS.has(target.name)) {
    process.stderr.write(`spikeflow: note: ${triggers} external trigger events were not written (${target.name} has no trigger records)\n`);
  }
  return { from: file.format.name, to: target.name, events, triggers, geometry };
}

function targetFormat(output: string, to: string | undefined): FormatModule {
  const target = to ? formatByName(to) : formatByExtension(output);
  if (!target) {
    throw new ConfigError('--to', undefined, `a format name: the extension of ${basename(output)} names no format`);
  }
  if (!target.createEncoder && !target.writeFile) {
    throw new ConfigError('--to', target.name, 'a format spikeflow can write');
  }
  return target;
}

async function encodeTo(path: string, format: FormatModule, batches: AsyncIterable<EventBatch>, options: EncoderOptions) {
  const encoder = format.createEncoder!(options);
  const handle = await open(path, 'w');
  try {
    await handle.write(encoder.header());
    for await (const batch of batches) {
      const bytes = encoder.encode(batch);
      if (bytes.length > 0) await handle.write(bytes);
    }
    const tail = encoder.end();
    if (tail.length > 0) await handle.write(tail);
  } finally {
    await handle.close();
  }
}

export function registerConvert(program: Command): void {
  program
    .command('convert')
    .description('Convert an event file to another format, event for event (streaming, constant memory)')
    .argument('<in>', 'an event file (format detected from its header)')
    .argument('<out>', 'the output file (format from its extension unless --to)')
    .option('--to <format>', 'output format name (evt2, evt21, evt3, dat, aedat4, npy, hdf5, …)')
    .option('--format <name>', 'read the input as this format instead of detecting it')
    .option('--width <px>', 'sensor width, where the input does not say', parsePixels('--width'))
    .option('--height <px>', 'sensor height, where the input does not say', parsePixels('--height'))
    .action(async (input: string, output: string, opts: { to?: string; format?: string; width?: number; height?: number }) => {
      const s = await convertEventFile(input, output, opts);
      process.stdout.write(`wrote ${s.events} events (${s.geometry.width}x${s.geometry.height}) from ${s.from} to ${s.to}: ${output}\n`);
    });
}
