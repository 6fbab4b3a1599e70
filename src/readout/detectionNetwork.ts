import type { CellGrid } from '../encoding/encoderOptions.ts';
import { ConvLifLayer, convLifSpec } from '../snn/convLifLayer.ts';
import { buildNetwork, type Network } from '../snn/network.ts';
import type { NetworkSpec } from '../snn/spec.ts';

/**
 * The DOTIE-style detection layer: one LIF neuron per input cell, fed by the 3×3 neighbourhood of cells of every
 * polarity channel (conv2d with merged channels). The leak and threshold decide what "dense" means: a neuron
 * fires only when about `threshold / weight` input spikes land in its neighbourhood within about `tauMs`, which
 * a moving edge delivers and sparse background activity does not. Optional lateral inhibition makes the most
 * active cell of a blob quiet its neighbours for a moment, thinning blobs without breaking them.
 */
export interface DetectionLayerOptions {
  readonly tauMs: number;
  readonly threshold: number;
  /** Synaptic weight of the centre cell; the 8 neighbours get `neighbourWeight`. */
  readonly weight: number;
  readonly neighbourWeight: number;
  readonly refractoryMs: number;
  readonly delayUs: number;
  /** Weight of the lateral inhibition (negative), or 0 for none. */
  readonly inhibition: number;
  readonly inhibitionRadius: number;
}

export const DEFAULT_DETECTION_LAYER: DetectionLayerOptions = {
  tauMs: 10,
  threshold: 6,
  weight: 1,
  neighbourWeight: 0.5,
  refractoryMs: 1,
  delayUs: 1,
  inhibition: 0,
  inhibitionRadius: 1,
};

export const DETECTION_POPULATION = 'detect';

export function detectionNetworkSpec(grid: CellGrid, inputPopulation: string, options: DetectionLayerOptions): NetworkSpec {
  const o = options;
  const k = o.neighbourWeight;
  const spec: NetworkSpec = {
    populations: [
      { name: inputPopulation, model: 'source', shape: [grid.width, grid.height, grid.channels] },
      {
        name: DETECTION_POPULATION,
        model: 'lif',
        shape: [grid.width, grid.height, 1],
        tauMs: o.tauMs,
        threshold: o.threshold,
        vRest: 0,
        vReset: 0,
        refractoryMs: o.refractoryMs,
      },
    ],
    projections: [
      {
        from: inputPopulation,
        to: DETECTION_POPULATION,
        connect: 'conv2d',
        kernel: [
          [k, k, k],
          [k, 1, k],
          [k, k, k],
        ],
        mergeChannels: true,
        weight: o.weight,
        delayUs: o.delayUs,
      },
    ],
  };
  if (o.inhibition !== 0) {
    spec.projections!.push({
      from: DETECTION_POPULATION,
      to: DETECTION_POPULATION,
      connect: 'lateral-inhibition',
      radius: o.inhibitionRadius,
      weight: o.inhibition,
      delayUs: o.delayUs,
    });
  }
  return spec;
}

/**
 * The detection layer ready to run: without inhibition, the table-free ConvLifLayer (nothing built per synapse,
 * the same spikes); with it (recurrent), the general engine.
 */
export function buildDetectionLayer(grid: CellGrid, inputPopulation: string, options: DetectionLayerOptions): Pick<Network, 'run'> {
  const spec = detectionNetworkSpec(grid, inputPopulation, options);
  const layer = convLifSpec(spec);
  return layer !== null ? new ConvLifLayer(layer) : buildNetwork(spec);
}
