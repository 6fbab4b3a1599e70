import { join } from 'node:path';
import { cellGrid, type CellGrid } from '../encoding/encoderOptions.ts';
import { ConfigError } from '../errors.ts';
import { sliceBatch, type EventBatch } from '../events/eventBatch.ts';
import type { SpikeBatch } from '../events/spikeBatch.ts';
import type { StreamItem } from '../sinks/types.ts';
import type { DetectionFrame } from '../readout/detectionFrame.ts';
import { Detector } from '../readout/detector.ts';
import { detectionLines } from '../readout/detectionLines.ts';
import type { GridImage } from '../readout/renderGrid.ts';
import { SpikeMapper } from '../readout/spikeMapper.ts';
import { SpikeMapVideo } from '../readout/spikeMapVideo.ts';
import { SpikeMapWriter } from '../readout/spikeMapWriter.ts';
import { TimeSurface } from '../readout/timeSurface.ts';
import { buildNetworkStage, type NetworkStage } from './networkStage.ts';
import { insideOut } from './outputs.ts';
import type { PipelineSpec, SpikeMapsSpec } from './pipelineSpec.ts';

/** Where the readout sends its results (set up by runPipeline). */
export interface ReadoutOutputs {
  writeLines(text: string): void;
  emit(item: StreamItem): void;
  /** Hands over an async write that the run awaits before reading more input. */
  defer(write: Promise<unknown>): void;
}

/**
 * Everything after the encoder, set up from the first filtered batch (whose geometry filters may have
 * changed): the network, the detector with its tracker, and the spike maps (of a population or a time surface).
 */
export class ReadoutStage {
  readonly width: number;
  readonly height: number;
  private readonly grid: CellGrid;
  private readonly net: NetworkStage;
  private readonly detector: Detector | undefined;
  private readonly mapper: SpikeMapper | undefined;
  private readonly surface: TimeSurface | undefined;
  private readonly writer: SpikeMapWriter | undefined;
  private readonly video: SpikeMapVideo | undefined;
  private readonly maps: SpikeMapsSpec | false;
  private readonly firstT: number;
  private nextSurfaceT = NaN;
  /** Detection frames not yet older than every pending spike map (for the box overlay). */
  private recentFrames: DetectionFrame[] = [];
  private readonly trackIds = new Set<number>();
  private stats = { inputSpikes: 0, spikes: 0, detections: 0 };

  constructor(
    spec: PipelineSpec,
    first: EventBatch,
    out: string,
    private readonly outputs: ReadoutOutputs,
  ) {
    this.width = first.width;
    this.height = first.height;
    this.firstT = first.t[0];
    this.grid = cellGrid(first, spec.encoder);
    this.net = buildNetworkStage(spec.network, this.grid);
    const d = spec.readout.detections;
    if (d) {
      this.detector = new Detector(
        { channels: this.grid.channels, cellsX: this.grid.width, cellsY: this.grid.height, pool: this.grid.pool, width: this.width, height: this.height },
        {
          periodUs: d.periodMs * 1000,
          traceUs: d.traceMs * 1000,
          minActivity: d.minActivity,
          minCells: d.minCells,
          mergeGap: d.mergeGap,
          minInput: d.minInput,
          minInputRelative: d.minInputRelative,
          splitShared: d.splitShared,
          splitGrowth: d.splitGrowth,
          tracker: {
            timeoutUs: d.tracker.timeoutMs * 1000,
            minHits: d.tracker.minHits,
            coastUs: d.tracker.coastMs * 1000,
            gate: d.tracker.gate,
            smoothing: d.tracker.smoothing,
            sharedSmoothing: d.tracker.sharedSmoothing,
            duplicateGap: d.tracker.duplicateGap,
            duplicateSpeed: d.tracker.duplicateSpeed,
            duplicateOverlap: d.tracker.duplicateOverlap,
          },
        },
      );
    }
    this.maps = spec.readout.spikemaps;
    const m = this.maps;
    if (m) {
      let image: GridImage;
      if (m.view === 'timesurface') {
        this.surface = new TimeSurface(this.width, this.height, m.tauMs * 1000);
        image = { cellsX: this.width, cellsY: this.height, channels: 2, pool: 1, width: this.width, height: this.height };
      } else {
        if (!this.net.populations.includes(m.population)) {
          throw new ConfigError('readout.spikemaps.population', m.population, `a population of the network: ${this.net.populations.join(', ')}`);
        }
        const channels = m.population === this.net.inputPopulation ? this.grid.channels : 1;
        const plane = this.grid.width * this.grid.height;
        this.mapper = new SpikeMapper(plane * channels, { mode: m.mode, periodUs: m.periodMs * 1000, tauUs: m.tauMs * 1000 });
        image = { cellsX: this.grid.width, cellsY: this.grid.height, channels, pool: this.grid.pool, width: this.width, height: this.height };
      }
      if (m.video) {
        this.video = new SpikeMapVideo(insideOut(out, m.video, 'readout.spikemaps.video'), this.width, this.height, 30);
      }
      this.writer = new SpikeMapWriter({ dir: join(out, 'spikemaps'), grid: image, colormap: m.colormap, every: m.every, maxFiles: m.maxFiles, video: this.video });
    }
  }

  /** Filtered events (for the time-surface view). */
  events(batch: EventBatch): void {
    // The detector places box edges at pixel level from the raw events, so it sees them before their spikes.
    this.detector?.events(batch);
    const surface = this.surface;
    if (!surface || !this.maps || batch.length === 0) return;
    const period = this.maps.periodMs * 1000;
    if (Number.isNaN(this.nextSurfaceT)) this.nextSurfaceT = (Math.floor(batch.t[0] / period) + 1) * period;
    let start = 0;
    while (batch.t[batch.length - 1] >= this.nextSurfaceT) {
      let end = start;
      while (end < batch.length && batch.t[end] < this.nextSurfaceT) end++;
      surface.add(sliceBatch(batch, start, end));
      start = end;
      this.writeMap(this.nextSurfaceT, surface.values(this.nextSurfaceT));
      this.nextSurfaceT += period;
    }
    surface.add(sliceBatch(batch, start, batch.length));
  }

  spikes(input: SpikeBatch): void {
    this.stats.inputSpikes += input.length;
    const network = this.net.network;
    const output = network?.run(this.net.foldPlane > 0 ? foldChannels(input, this.net.foldPlane) : input, input.until);
    const byPopulation: Record<string, SpikeBatch> = { [this.net.inputPopulation]: input, ...output?.spikes };
    if (output) for (const s of Object.values(output.spikes)) this.stats.spikes += s.length;
    for (const s of Object.values(output?.spikes ?? {})) this.outputs.emit({ kind: 'spikes', spikes: s });
    if (this.detector) {
      let detectSpikes = byPopulation[this.net.detectPopulation];
      if (this.net.detectPopulation === this.net.inputPopulation) detectSpikes = foldChannels(detectSpikes, this.grid.width * this.grid.height);
      for (const frame of this.detector.push(detectSpikes, input.until, this.firstT, input)) {
        if (this.writer && this.maps && this.maps.boxes) this.recentFrames.push(frame);
        this.stats.detections += frame.boxes.length;
        for (const b of frame.boxes) this.trackIds.add(b.id);
        if (frame.boxes.length > 0) this.outputs.writeLines(detectionLines(frame));
        this.outputs.emit({ kind: 'detections', detections: frame });
      }
    }
    if (this.mapper && this.maps) {
      const spikes = byPopulation[this.maps.population];
      for (const frame of this.mapper.push(spikes, input.until, this.firstT)) this.writeMap(frame.t, frame.values);
    }
  }

  private writeMap(t: number, values: Float32Array): void {
    if (!this.writer || !this.maps) return;
    // The boxes of the latest detection frame at or before the map's time.
    let frame: DetectionFrame | undefined;
    while (this.recentFrames.length > 0 && this.recentFrames[0].t <= t) frame = this.recentFrames.shift();
    if (frame) this.recentFrames.unshift(frame);
    const boxes = this.maps.boxes && frame && frame.t <= t ? frame.boxes : undefined;
    this.outputs.defer(this.writer.write(t, values, boxes));
  }

  async close(): Promise<{ inputSpikes: number; spikes: number; detections: number; tracks: number; spikemaps: number }> {
    await this.video?.close();
    return { ...this.stats, tracks: this.trackIds.size, spikemaps: this.writer?.written ?? 0 };
  }

  abort(): void {
    this.video?.abort();
  }
}

/** Spikes of a multi-channel cell grid as spikes of its cells (channel folded away). */
function foldChannels(spikes: SpikeBatch, plane: number): SpikeBatch {
  const neuron = new Uint32Array(spikes.length);
  for (let i = 0; i < spikes.length; i++) neuron[i] = spikes.neuron[i] % plane;
  return { ...spikes, neuron };
}
