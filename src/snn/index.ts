// The SNN engine's public surface (re-exports only).
export { buildNetwork, buildNetworkFromFile, Network, type NetworkOutput, type NetworkStats } from './network.ts';
export type { NetworkSpec, PopulationSpec, ProjectionSpec, PlasticitySpec, SynapseArrays } from './spec.ts';
export { simulate } from './operators/simulate.ts';
export { poissonSpikes, type PoissonOptions } from './poissonInput.ts';
export { parseSpikeCsv, formatSpikeCsv } from './spikeCsv.ts';
export { EulerIfNetwork, type EulerIfOptions } from './article/eulerIfNetwork.ts';
export { DecayNeuron, type DecayNeuronOptions } from './article/decayNeuron.ts';
