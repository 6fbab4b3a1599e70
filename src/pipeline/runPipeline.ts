import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Subject, tap, type MonoTypeOperatorFunction, type Observable } from 'rxjs';
import { encode } from '../encoding/encode.ts';
import { SpikeflowError } from '../errors.ts';
import type { EventBatch } from '../events/eventBatch.ts';
import type { SpikeBatch } from '../events/spikeBatch.ts';
import { createFilter } from '../operators/registry.ts';
import { createSink } from '../sinks/registry.ts';
import type { Sink, SinkStats, StreamItem } from '../sinks/types.ts';
import { openFrameSource as frameSources } from './frameSources.ts';
import { inputSource } from './inputSource.ts';
import { loadPipeline } from './loadPipeline.ts';
import { insideOut } from './outputs.ts';
import { networkInputPopulation } from './networkStage.ts';
import type { RunProgress } from './progress.ts';
import { readSource } from './readSource.ts';
import { ReadoutStage } from './readoutStage.ts';

export interface RunPipelineOptions {
  /** Overrides the pipeline's source: an event file, a video file, a folder of images or `webcam[:DEVICE]`. */
  readonly input?: string;
  /** Output directory; every output of the run is written under it. */
  readonly out: string;
  /** Aborts the run: it ends with an error and writes no summary.json. */
  readonly signal?: AbortSignal;
  /** Ends the input early (Ctrl-C on a webcam) and finishes normally: outputs flushed, summary.json written. */
  readonly stop?: AbortSignal;
  readonly onProgress?: (progress: RunProgress) => void;
}

/** What a finished run did. The same object is written last, as `DIR/summary.json`. */
export interface RunSummary {
  readonly pipeline: string;
  readonly input: string;
  readonly out: string;
  readonly width: number;
  readonly height: number;
  /** Events read from the source, and left after the filters. */
  readonly events: number;
  readonly filteredEvents: number;
  readonly inputSpikes: number;
  /** Spikes emitted by the network's neurons. */
  readonly spikes: number;
  /** Lines of detections.ndjson, and distinct track ids among them. */
  readonly detections: number;
  readonly tracks: number;
  readonly spikemaps: number;
  /** Event time from the first to the last event (µs). */
  readonly eventTimeUs: number;
  readonly wallMs: number;
  /** Event time / wall time. */
  readonly realTimeFactor: number;
  readonly eventsPerSecond: number;
  readonly sinks: Record<string, SinkStats>;
  /** Whether the input was ended early by `options.stop`. */
  readonly stopped: boolean;
}

export const SUMMARY_FILE = 'summary.json';
/** Writes allowed in flight while the next batch is read: bounds memory, keeps sharp's threads busy. */
const MAX_PENDING_WRITES = 8;
export const DETECTIONS_FILE = 'detections.ndjson';
export const SPIKEMAPS_DIR = 'spikemaps';

/**
 * Runs a pipeline file: source → filters → encoder → network → readout (detections, spike maps) → sinks.
 * Writes `out/detections.ndjson`, `out/spikemaps/*.png` and, last, `out/summary.json`: a run without
 * `summary.json` did not finish. Each source batch is carried through every stage before the next one is
 * read, and at most a few file writes (PNG encoding, sinks' back-pressure) are left in flight, so memory stays
 * flat on any input size.
 */
export async function runPipeline(pipelinePath: string, options: RunPipelineOptions): Promise<RunSummary> {
  const started = performance.now();
  const { spec, path } = await loadPipeline(pipelinePath);
  const source = options.input !== undefined ? inputSource(options.input) : spec.source;
  const out = resolve(options.out);
  // Build every stage before touching the output, so a bad pipeline fails without side effects.
  const filters: MonoTypeOperatorFunction<EventBatch>[] = spec.filters.map((f) => createFilter(f.type, f.options, f.keyPath));
  const inputPopulation = networkInputPopulation(spec.network);
  if (spec.readout.spikemaps && spec.readout.spikemaps.video) insideOut(out, spec.readout.spikemaps.video, 'readout.spikemaps.video');
  await mkdir(join(out, SPIKEMAPS_DIR), { recursive: true });
  await rm(join(out, SUMMARY_FILE), { force: true });
  const sinks: Sink[] = [];
  const detectionsPartial = join(out, `${DETECTIONS_FILE}.partial`);
  const detectionsFile = createWriteStream(detectionsPartial);
  const pending: Promise<unknown>[] = [];
  let failure: unknown;
  const fail = (error: unknown) => (failure ??= error);
  let readout: ReadoutStage | undefined;
  const counts = { events: 0, filtered: 0, firstT: NaN, lastT: NaN, bytesRead: 0, totalBytes: undefined as number | undefined };
  try {
    for (const [i, s] of spec.sinks.entries()) {
      sinks.push(await createSink({ type: s.type, ...s.options }, { outDir: out, keyPath: `sinks[${i}]` }));
    }
    const emit = (item: StreamItem) => {
      for (const sink of sinks) {
        const result = sink.write(item);
        if (result) pending.push(result.catch(fail));
      }
    };
    const writeLines = (text: string) => {
      if (!detectionsFile.write(text)) pending.push(drained(detectionsFile));
    };

    const events$ = new Subject<EventBatch>();
    let filtered$: Observable<EventBatch> = events$;
    for (const filter of filters) filtered$ = filtered$.pipe(filter);
    const finished = new Promise<void>((resolveDone) => {
      filtered$
        .pipe(
          tap((batch) => {
            if (batch.length === 0) return;
            counts.filtered += batch.length;
            readout ??= new ReadoutStage(spec, batch, out, { writeLines, emit, defer: (p) => pending.push(p.catch(fail)) });
            readout.events(batch);
            emit({ kind: 'events', events: batch });
          }),
          encode({ ...spec.encoder, population: inputPopulation }),
        )
        .subscribe({
          next: (spikes: SpikeBatch) => {
            try {
              readout!.spikes(spikes);
            } catch (error) {
              fail(error);
            }
          },
          error: (error) => {
            fail(error);
            resolveDone();
          },
          complete: () => resolveDone(),
        });
    });

    const wallMs = () => performance.now() - started;
    const progress = () =>
      options.onProgress?.({
        events: counts.events,
        bytesRead: counts.bytesRead,
        totalBytes: counts.totalBytes,
        wallMs: wallMs(),
        eventTimeUs: Number.isNaN(counts.firstT) ? 0 : counts.lastT - counts.firstT,
      });
    for await (const step of readSource(source, frameSources)) {
      if (options.signal?.aborted) throw new SpikeflowError(`run aborted after ${counts.events} events`);
      if (options.stop?.aborted) break;
      const batch = step.batch;
      if (batch.length > 0) {
        if (Number.isNaN(counts.firstT)) counts.firstT = batch.t[0];
        counts.lastT = batch.t[batch.length - 1];
      }
      counts.events += batch.length;
      counts.bytesRead = step.bytesRead;
      counts.totalBytes = step.totalBytes;
      events$.next(batch);
      // Let a few writes (PNG encoding runs on sharp's threads) overlap the next batch; wait beyond that.
      while (pending.length > MAX_PENDING_WRITES) await pending.shift();
      if (failure !== undefined) throw failure;
      progress();
    }
    events$.complete();
    await finished;
    await Promise.all(pending.splice(0));
    if (failure !== undefined) throw failure;
    const readoutStats = readout ? await readout.close() : { inputSpikes: 0, spikes: 0, detections: 0, tracks: 0, spikemaps: 0 };
    await closeStream(detectionsFile);
    await rename(detectionsPartial, join(out, DETECTIONS_FILE));
    const sinkStats: Record<string, SinkStats> = {};
    for (const [i, sink] of sinks.splice(0).entries()) sinkStats[`sinks[${i}] ${sink.name}`] = await sink.close();
    progress();
    const eventTimeUs = Number.isNaN(counts.firstT) ? 0 : counts.lastT - counts.firstT;
    const wall = wallMs();
    const summary: RunSummary = {
      pipeline: path,
      input: 'path' in source ? source.path : source.type === 'nats' ? `${source.url}/${source.stream}` : `webcam:${source.device}`,
      out,
      width: readout?.width ?? 0,
      height: readout?.height ?? 0,
      events: counts.events,
      filteredEvents: counts.filtered,
      ...readoutStats,
      eventTimeUs,
      wallMs: Math.round(wall),
      realTimeFactor: wall > 0 ? eventTimeUs / 1000 / wall : 0,
      eventsPerSecond: wall > 0 ? (counts.events / wall) * 1000 : 0,
      sinks: sinkStats,
      stopped: options.stop?.aborted ?? false,
    };
    const summaryPartial = join(out, `${SUMMARY_FILE}.partial`);
    await writeFile(summaryPartial, `${JSON.stringify(summary, null, 2)}\n`);
    await rename(summaryPartial, join(out, SUMMARY_FILE));
    return summary;
  } catch (error) {
    readout?.abort();
    detectionsFile.destroy();
    await Promise.allSettled(pending.splice(0));
    await Promise.allSettled(sinks.map((s) => s.close()));
    throw error;
  }
}

/** Resolves on 'drain', rejects on 'error'; `once` removes both listeners either way. */
function drained(stream: WriteStream): Promise<unknown> {
  return once(stream, 'drain');
}

function closeStream(stream: WriteStream): Promise<void> {
  return new Promise((resolveClose, reject) => {
    stream.once('error', reject);
    stream.end(() => resolveClose());
  });
}
