import { ConfigError } from '../errors.ts';
import { DEFAULT_DETECTOR } from '../readout/detector.ts';
import { DEFAULT_TRACKER } from '../readout/tracker.ts';
import { arrayOf, boolean, integer, nonEmptyString, number, object, oneOf, plainObject, tagged, type Checker } from './schema.ts';

/**
 * The pipeline file: declarative JSON, data only. Every section but `source` may be left out.
 *
 * ```json
 * { "source": {"type": "file", "path": "../recordings/evt3/x.raw"},
 *   "filters": [{"type": "refractory", "periodUs": 1000}],
 *   "encoder": {"pool": 4, "polarity": "separate"},
 *   "network": {"type": "dotie", "tauMs": 10, "threshold": 6},
 *   "readout": {"detections": {"periodMs": 10}, "spikemaps": {"population": "input", "colormap": "onoff"}},
 *   "sinks": [{"type": "ndjson", "path": "events.ndjson"}] }
 * ```
 */
export interface PipelineSpec {
  readonly description: string;
  readonly source: SourceSpec;
  readonly filters: readonly StageSpec[];
  readonly encoder: { pool: number; polarity: 'separate' | 'merged' };
  readonly network: NetworkChoice;
  readonly readout: { detections: DetectionsSpec | false; spikemaps: SpikeMapsSpec | false };
  readonly sinks: readonly StageSpec[];
}

export type SourceSpec =
  | { type: 'file'; path: string; format: string | undefined; width: number | undefined; height: number | undefined }
  | { type: 'video' | 'images'; path: string; fps: number | undefined }
  | { type: 'webcam'; device: string }
  | { type: 'nats'; url: string; stream: string; replay: string | undefined; idleTimeoutMs: number | undefined };

/** A filter or sink: its type and its options, checked by the filter or sink registry. */
export interface StageSpec {
  readonly type: string;
  readonly options: Record<string, unknown>;
  readonly keyPath: string;
}

export type NetworkChoice =
  | { type: 'none' }
  | {
      type: 'dotie';
      tauMs: number;
      threshold: number;
      weight: number;
      neighbourWeight: number;
      refractoryMs: number;
      inhibition: number;
      inhibitionRadius: number;
    }
  | { type: 'file'; path: string; output: string };

export interface DetectionsSpec {
  periodMs: number;
  traceMs: number;
  minActivity: number;
  minCells: number;
  mergeGap: number;
  minInput: number;
  minInputRelative: number;
  /** Share a blob that several tracks' predictions reach among them (objects that touch or cross). */
  splitShared: boolean;
  splitGrowth: number;
  tracker: {
    timeoutMs: number;
    minHits: number;
    coastMs: number;
    gate: number;
    smoothing: number;
    sharedSmoothing: number;
    duplicateGap: number;
    duplicateSpeed: number;
    duplicateOverlap: number;
  };
}

export interface SpikeMapsSpec {
  /** 'spikes' shows a population's spikes; 'timesurface' shows the raw (filtered) events. */
  view: 'spikes' | 'timesurface';
  population: string;
  mode: 'count' | 'trace';
  periodMs: number;
  tauMs: number;
  colormap: 'gray' | 'hot' | 'viridis' | 'onoff';
  boxes: boolean;
  /** Write every n-th map only (the maps are still computed for the video). */
  every: number;
  /** Also write an mp4 of the maps under the output directory (needs ffmpeg). */
  video: string | undefined;
  /** Stop writing PNGs after this many (0 = no limit). */
  maxFiles: number;
}

const positive = number(0, Infinity, true);
const nonNegative = number(0);

const source: Checker<SourceSpec> = tagged<SourceSpec>({
  file: object(
    {
      type: oneOf(['file']),
      path: nonEmptyString,
      format: nonEmptyString,
      width: integer(1, 65536),
      height: integer(1, 65536),
    },
    { format: undefined, width: undefined, height: undefined },
  ),
  video: object({ type: oneOf(['video']), path: nonEmptyString, fps: positive }, { fps: undefined }),
  images: object({ type: oneOf(['images']), path: nonEmptyString, fps: positive }, { fps: undefined }),
  webcam: object({ type: oneOf(['webcam']), device: nonEmptyString }, { device: 'default' }),
  nats: object(
    { type: oneOf(['nats']), url: nonEmptyString, stream: nonEmptyString, replay: nonEmptyString, idleTimeoutMs: positive },
    { replay: undefined, idleTimeoutMs: undefined },
  ),
});

function stages(kind: string): Checker<StageSpec[]> {
  return arrayOf((value, path) => {
    const input = plainObject(value, path);
    const type = nonEmptyString(input.type, `${path}.type`);
    const { type: _ignored, ...options } = input;
    void _ignored;
    if (type.includes('/') || type.includes('.')) throw new ConfigError(`${path}.type`, type, `the name of a ${kind}`);
    return { type, options, keyPath: path };
  });
}

export const DEFAULT_DOTIE = {
  type: 'dotie' as const,
  tauMs: 10,
  threshold: 6,
  weight: 1,
  neighbourWeight: 0.5,
  refractoryMs: 1,
  inhibition: 0,
  inhibitionRadius: 1,
};

const network: Checker<NetworkChoice> = tagged<NetworkChoice>({
  none: object({ type: oneOf(['none']) }),
  dotie: object(
    {
      type: oneOf(['dotie']),
      tauMs: positive,
      threshold: positive,
      weight: number(-1e6, 1e6),
      neighbourWeight: number(-1e6, 1e6),
      refractoryMs: nonNegative,
      inhibition: number(-1e6, 0),
      inhibitionRadius: integer(1, 16),
    },
    DEFAULT_DOTIE,
  ),
  file: object({ type: oneOf(['file']), path: nonEmptyString, output: nonEmptyString }),
});

export const DEFAULT_TRACKER_SPEC = {
  timeoutMs: 100,
  minHits: 2,
  coastMs: 20,
  gate: 0.75,
  smoothing: 0.7,
  sharedSmoothing: DEFAULT_TRACKER.sharedSmoothing,
  duplicateGap: DEFAULT_TRACKER.duplicateGap,
  duplicateSpeed: DEFAULT_TRACKER.duplicateSpeed,
  duplicateOverlap: DEFAULT_TRACKER.duplicateOverlap,
};
export const DEFAULT_DETECTIONS: DetectionsSpec = {
  periodMs: 10,
  traceMs: 20,
  minActivity: 1,
  minCells: 2,
  // The detector's own default (tuned on generated scenes: bars moving along their length fire only at their ends).
  mergeGap: DEFAULT_DETECTOR.mergeGap,
  minInput: 1,
  minInputRelative: 0.25,
  splitShared: DEFAULT_DETECTOR.splitShared,
  splitGrowth: DEFAULT_DETECTOR.splitGrowth,
  tracker: DEFAULT_TRACKER_SPEC,
};

const detections = object<DetectionsSpec>(
  {
    periodMs: positive,
    traceMs: positive,
    minActivity: positive,
    minCells: integer(1),
    mergeGap: nonNegative,
    minInput: nonNegative,
    minInputRelative: number(0, 1),
    splitShared: boolean,
    splitGrowth: number(1, Infinity),
    tracker: object(
      {
        timeoutMs: positive,
        minHits: integer(1, 1000),
        coastMs: nonNegative,
        gate: nonNegative,
        smoothing: number(0, 1, true),
        sharedSmoothing: number(0, 1),
        duplicateGap: nonNegative,
        duplicateSpeed: nonNegative,
        duplicateOverlap: number(0, 1),
      },
      DEFAULT_TRACKER_SPEC,
    ),
  },
  DEFAULT_DETECTIONS,
);

export const DEFAULT_SPIKEMAPS: SpikeMapsSpec = {
  view: 'spikes',
  population: 'input',
  mode: 'count',
  periodMs: 10,
  tauMs: 20,
  colormap: 'onoff',
  boxes: true,
  every: 1,
  video: undefined,
  maxFiles: 0,
};

const spikemaps = object<SpikeMapsSpec>(
  {
    view: oneOf(['spikes', 'timesurface']),
    population: nonEmptyString,
    mode: oneOf(['count', 'trace']),
    periodMs: positive,
    tauMs: positive,
    colormap: oneOf(['gray', 'hot', 'viridis', 'onoff']),
    boxes: boolean,
    every: integer(1),
    video: nonEmptyString,
    maxFiles: integer(0),
  },
  DEFAULT_SPIKEMAPS,
);

/** `false` turns an output off; an object configures it (missing keys take defaults). */
function orFalse<T>(checker: Checker<T>): Checker<T | false> {
  return (value, path) => (value === false ? false : checker(value, path));
}

export const pipelineChecker: Checker<PipelineSpec> = object<PipelineSpec>(
  {
    description: (value, path) => (typeof value === 'string' ? value : nonEmptyString(value, path)),
    source,
    filters: stages('filter'),
    encoder: object({ pool: integer(1, 256), polarity: oneOf(['separate', 'merged']) }, { pool: 4, polarity: 'separate' }),
    network,
    readout: object(
      { detections: orFalse(detections), spikemaps: orFalse(spikemaps) },
      { detections: DEFAULT_DETECTIONS, spikemaps: DEFAULT_SPIKEMAPS },
    ),
    sinks: stages('sink'),
  },
  {
    description: '',
    filters: [],
    encoder: { pool: 4, polarity: 'separate' },
    network: DEFAULT_DOTIE,
    readout: { detections: DEFAULT_DETECTIONS, spikemaps: DEFAULT_SPIKEMAPS },
    sinks: [],
  },
);
