import { ConfigError } from '../errors.ts';
import { optionalNumber, requireNumber } from './connect/options.ts';
import type { PopulationSpec } from './spec.ts';

/** LIF parameters in engine units (µs, dimensionless potential). */
export interface LifParams {
  tauUs: number;
  threshold: number;
  vRest: number;
  vReset: number;
  refractoryUs: number;
  /** 0 for delta synapses; the synaptic current's time constant for exponential (current-based) synapses. */
  tauSynUs: number;
}

export function readLifParams(spec: PopulationSpec, keyPath: string): LifParams {
  const tauMs = requireNumber(spec.tauMs, `${keyPath}.tauMs`, 'a number > 0 (membrane time constant, ms)');
  if (!(tauMs > 0)) throw new ConfigError(`${keyPath}.tauMs`, tauMs, 'a number > 0 (ms)');
  const threshold = requireNumber(spec.threshold, `${keyPath}.threshold`);
  const vRest = optionalNumber(spec.vRest, 0, `${keyPath}.vRest`);
  const vReset = optionalNumber(spec.vReset, vRest, `${keyPath}.vReset`);
  const refractoryMs = optionalNumber(spec.refractoryMs, 0, `${keyPath}.refractoryMs`);
  if (refractoryMs < 0) throw new ConfigError(`${keyPath}.refractoryMs`, refractoryMs, 'a number >= 0 (ms)');
  // An event-driven neuron only changes when input arrives, so it must not fire on its own.
  if (!(vRest <= threshold)) throw new ConfigError(`${keyPath}.vRest`, vRest, `at most threshold (${threshold}): an event-driven neuron cannot fire without input`);
  if (!(vReset <= threshold)) throw new ConfigError(`${keyPath}.vReset`, vReset, `at most threshold (${threshold})`);
  const synapse = spec.synapse ?? 'delta';
  let tauSynUs = 0;
  if (synapse === 'exponential') {
    const tauSynMs = requireNumber(spec.tauSynMs, `${keyPath}.tauSynMs`, 'a number > 0 (synaptic time constant, ms)');
    if (!(tauSynMs > 0)) throw new ConfigError(`${keyPath}.tauSynMs`, tauSynMs, 'a number > 0 (ms)');
    tauSynUs = tauSynMs * 1000;
  } else if (synapse !== 'delta') {
    throw new ConfigError(`${keyPath}.synapse`, synapse, '"delta" or "exponential"');
  }
  return {
    tauUs: tauMs * 1000,
    threshold,
    vRest,
    vReset,
    refractoryUs: Math.round(refractoryMs * 1000),
    tauSynUs,
  };
}
