import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors.ts';
import type { CellGrid } from '../encoding/encoderOptions.ts';
import { DETECTION_POPULATION, detectionNetworkSpec } from '../readout/detectionNetwork.ts';
import { ConvLifLayer, convLifSpec } from '../snn/convLifLayer.ts';
import { buildNetwork, buildNetworkFromFile, type Network } from '../snn/network.ts';
import type { NetworkSpec } from '../snn/spec.ts';
import type { NetworkChoice } from './pipelineSpec.ts';

/** The network a pipeline runs, the name of its input population and of the population detections read. */
export interface NetworkStage {
  readonly network: Pick<Network, 'run'> | undefined;
  readonly inputPopulation: string;
  readonly detectPopulation: string;
  /** Every population name (for checking readout.spikemaps.population). */
  readonly populations: readonly string[];
  /**
   * When > 0, the network's source has one channel: input spikes are folded onto it (neuron mod `foldPlane`)
   * before `network.run`. Readout still sees the encoder's channels.
   */
  readonly foldPlane: number;
}

export const INPUT_POPULATION = 'input';

/** The name of the source population of a network file (the first `source`), read before the grid is known. */
export function networkInputPopulation(choice: NetworkChoice): string {
  if (choice.type !== 'file') return INPUT_POPULATION;
  const spec = readNetworkFile(choice.path);
  const source = spec.populations?.find((p) => p.model === 'source');
  if (!source) throw new ConfigError('network.path', choice.path, 'a network file with a population of model "source"');
  return source.name;
}

export function buildNetworkStage(choice: NetworkChoice, grid: CellGrid): NetworkStage {
  if (choice.type === 'none') {
    return { network: undefined, inputPopulation: INPUT_POPULATION, detectPopulation: INPUT_POPULATION, populations: [INPUT_POPULATION], foldPlane: 0 };
  }
  if (choice.type === 'dotie') {
    const options = { ...choice, delayUs: 1 };
    // The plain layer runs its weight-shared kernel per input spike: no synapse tables to build on every run
    // (half a million slots for a 1280×720 sensor pooled by 4), and ON and OFF merge inside it.
    const layer = convLifSpec(detectionNetworkSpec(grid, INPUT_POPULATION, options));
    const names = { inputPopulation: INPUT_POPULATION, detectPopulation: DETECTION_POPULATION, populations: [INPUT_POPULATION, DETECTION_POPULATION] };
    if (layer !== null) return { network: new ConvLifLayer(layer), ...names, foldPlane: 0 };
    // Lateral inhibition makes it recurrent: the general engine. Every channel feeds the same 3×3 kernel, so
    // its source needs only one: folding ON and OFF onto one cell before the run gives the very same arrivals,
    // with half the synapses to build and keep.
    const plane = grid.width * grid.height;
    const network = buildNetwork(detectionNetworkSpec({ ...grid, channels: 1 }, INPUT_POPULATION, options));
    return { network, ...names, foldPlane: grid.channels > 1 ? plane : 0 };
  }
  const spec = readNetworkFile(choice.path);
  const names = spec.populations.map((p) => p.name);
  if (!names.includes(choice.output)) throw new ConfigError('network.output', choice.output, `a population of the network: ${names.join(', ')}`);
  const source = spec.populations.find((p) => p.model === 'source')!;
  const size = source.shape ? source.shape[0] * source.shape[1] * source.shape[2] : source.size;
  const cells = grid.width * grid.height * grid.channels;
  if (size !== cells) {
    throw new ConfigError(
      'network.path',
      choice.path,
      `a network whose source population "${source.name}" has ${cells} neurons (the encoder's ${grid.width}×${grid.height}×${grid.channels} cells), not ${size}`,
    );
  }
  return { network: buildNetworkFromFile(spec, choice.path), inputPopulation: source.name, detectPopulation: choice.output, populations: names, foldPlane: 0 };
}

function readNetworkFile(path: string): NetworkSpec {
  try {
    const spec = JSON.parse(readFileSync(path, 'utf8')) as NetworkSpec;
    if (!spec || !Array.isArray(spec.populations)) throw new Error('no "populations" array');
    return spec;
  } catch (error) {
    throw new ConfigError('network.path', path, `a readable JSON network file (${(error as Error).message})`, { cause: error });
  }
}
