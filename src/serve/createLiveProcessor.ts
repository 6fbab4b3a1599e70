import { Subject, tap, type Observable } from 'rxjs';
import { encode } from '../encoding/encode.ts';
import { cellGrid, checkPool } from '../encoding/encoderOptions.ts';
import { ConfigError } from '../errors.ts';
import { concatBatches, emptyBatch, type EventBatch } from '../events/eventBatch.ts';
import type { SpikeBatch } from '../events/spikeBatch.ts';
import { createFilter } from '../operators/registry.ts';
import { networkInputPopulation } from '../pipeline/networkStage.ts';
import type { PipelineSpec } from '../pipeline/pipelineSpec.ts';
import { ReadoutStage } from '../pipeline/readoutStage.ts';
import { DETECTION_POPULATION } from '../readout/detectionNetwork.ts';
import type { DetectionBox, DetectionFrame } from '../readout/detectionFrame.ts';
import type { StreamItem } from '../sinks/types.ts';
import type { Frame } from '../video/frame.ts';
import { framesToEvents } from '../video/framesToEvents.ts';
import { MIN_THRESHOLD } from '../video/dvsModelOptions.ts';
import type { CameraFrame } from './cameraFrameMessage.ts';
import type { LiveLayout, LiveOutput, LiveProcessor, LiveSettings } from './liveProcessor.ts';

/**
 * The live chain for one camera, built from a pipeline file's stages (the camera replaces its source): the DVS
 * model (`framesToEvents`), the pipeline's filters (`createFilter`), its encoder (`encode`), and its network
 * and detector (`ReadoutStage`, the very class `runPipeline` uses). RxJS operators run synchronously, so a
 * frame pushed into the chain has gone through every stage when `process` returns.
 *
 * The page's settings override the DVS contrast threshold and the encoder's pooling. The pipeline's spike-map
 * files and sinks are not used (the server streams instead). Boxes come back in the camera's pixel space.
 */
export function createLiveProcessor(spec: PipelineSpec, settings: LiveSettings): LiveProcessor {
  checkLiveSettings(settings);
  const liveSpec: PipelineSpec = {
    ...spec,
    source: { type: 'webcam', device: 'browser' },
    encoder: { ...spec.encoder, pool: settings.pooling },
    readout: { ...spec.readout, spikemaps: false },
    sinks: [],
  };
  const inputPopulation = networkInputPopulation(liveSpec.network);
  // The population drawn as the page's spike map: the layer the detector reads.
  const mapPopulation =
    liveSpec.network.type === 'dotie' ? DETECTION_POPULATION : liveSpec.network.type === 'file' ? liveSpec.network.output : inputPopulation;
  // Checked now, so a bad filter fails when the server starts rather than on the first frame.
  liveSpec.filters.forEach((f) => createFilter(f.type, f.options, f.keyPath));
  let chain: Chain | undefined;

  function build(width: number, height: number): Chain {
    const frames = new Subject<Frame>();
    const c: Chain = { frames, width, height, events: [], items: [], readout: undefined, failure: undefined, layout: undefined, lastBoxes: [] };
    const outputs = { writeLines: () => {}, emit: (item: StreamItem) => void c.items.push(item), defer: () => {} };
    let events: Observable<EventBatch> = frames.pipe(framesToEvents({ threshold: settings.threshold }));
    for (const f of liveSpec.filters) events = events.pipe(createFilter(f.type, f.options, f.keyPath));
    events
      .pipe(
        tap((batch: EventBatch) => {
          c.events.push(batch);
          // As in runPipeline: the readout is set up from the first non-empty batch after the filters.
          if (batch.length > 0) c.readout ??= new ReadoutStage(liveSpec, batch, '', outputs);
        }),
        encode({ ...liveSpec.encoder, population: inputPopulation }),
      )
      .subscribe({
        next: (spikes: SpikeBatch) => {
          if (mapPopulation === inputPopulation) c.items.push({ kind: 'spikes', spikes });
          c.readout?.spikes(spikes);
        },
        error: (error: unknown) => (c.failure = error ?? new Error('live chain failed')),
      });
    return c;
  }

  return {
    process(frame: CameraFrame): LiveOutput {
      if (!chain || chain.width !== frame.width || chain.height !== frame.height) chain = build(frame.width, frame.height);
      const c = chain;
      c.events.length = 0;
      c.items.length = 0;
      try {
        c.frames.next({ data: frame.data, width: frame.width, height: frame.height, t: frame.t });
        if (c.failure !== undefined) throw c.failure;
      } catch (error) {
        // The next frame starts a fresh chain (e.g. after a page reload restarted its clock).
        chain = undefined;
        throw error;
      }
      return collect(c, frame, mapPopulation, settings.pooling);
    },
  };
}

interface Chain {
  readonly frames: Subject<Frame>;
  readonly width: number;
  readonly height: number;
  /** What the current frame produced: filtered event batches and the readout's items. */
  readonly events: EventBatch[];
  readonly items: StreamItem[];
  readout: ReadoutStage | undefined;
  failure: unknown;
  layout: LiveLayout | undefined;
  lastBoxes: readonly DetectionBox[];
}

/** One frame's output: its events, the spike map population's spikes, the latest boxes in camera pixels. */
function collect(c: Chain, frame: CameraFrame, mapPopulation: string, pool: number): LiveOutput {
  const events = c.events.length === 1 ? c.events[0] : c.events.length === 0 ? emptyBatch(frame) : concatBatches(c.events);
  const spikes: SpikeBatch[] = [];
  let latest: DetectionFrame | undefined;
  for (const item of c.items) {
    if (item.kind === 'spikes' && item.spikes.population === mapPopulation) spikes.push(item.spikes);
    else if (item.kind === 'detections') latest = item.detections;
  }
  // No detector frame fell due in this frame's time span: keep the boxes while events still arrive (the
  // object is still there), drop them when the scene went still.
  if (latest) c.lastBoxes = latest.boxes;
  else if (events.length === 0) c.lastBoxes = [];
  const sx = frame.cameraWidth / frame.width;
  const sy = frame.cameraHeight / frame.height;
  const detections: DetectionFrame = {
    t: latest?.t ?? frame.t,
    width: frame.cameraWidth,
    height: frame.cameraHeight,
    boxes: c.lastBoxes.map((b) => scaleBox(b, sx, sy)),
  };
  let layout: LiveLayout | undefined;
  if (!c.layout) {
    const grid = cellGrid(frame, { pool, polarity: 'merged' });
    layout = c.layout = { cellsX: grid.width, cellsY: grid.height, pool, width: frame.width, height: frame.height };
  }
  const mapSpikes = spikes.length === 0 ? undefined : spikes.length === 1 ? spikes[0] : joinSpikes(spikes);
  return { events, spikes: mapSpikes, detections, layout };
}

function scaleBox(b: DetectionBox, sx: number, sy: number): DetectionBox {
  const round = (v: number) => Math.round(v * 100) / 100;
  const out: DetectionBox = { id: b.id, x: round(b.x * sx), y: round(b.y * sy), w: round(b.w * sx), h: round(b.h * sy), score: b.score };
  return b.vx !== undefined && b.vy !== undefined ? { ...out, vx: round(b.vx * sx), vy: round(b.vy * sy) } : out;
}

function joinSpikes(batches: readonly SpikeBatch[]): SpikeBatch {
  let n = 0;
  for (const b of batches) n += b.length;
  const t = new Float64Array(n);
  const neuron = new Uint32Array(n);
  let o = 0;
  for (const b of batches) {
    t.set(b.t.subarray(0, b.length), o);
    neuron.set(b.neuron.subarray(0, b.length), o);
    o += b.length;
  }
  const last = batches[batches.length - 1];
  return { t, neuron, length: n, population: last.population, until: last.until };
}

/** The page's settings, checked like the pipeline's options (ConfigError naming the setting). */
export function checkLiveSettings(settings: LiveSettings): void {
  const th = settings.threshold;
  if (typeof th !== 'number' || !Number.isFinite(th) || th < MIN_THRESHOLD || th > 10) {
    throw new ConfigError('threshold', th, `a contrast threshold in ${MIN_THRESHOLD}..10 (log units)`);
  }
  checkPool(settings.pooling, 'pooling');
}
