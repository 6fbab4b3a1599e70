import { ConfigError } from '../errors.ts';
import { optionalNumber, requireNumber } from './connect/options.ts';
import type { PlasticitySpec } from './spec.ts';

export interface StdpParams {
  /** Reward-modulated: changes go to eligibility traces, applied by `Network.reward`. */
  rewardModulated: boolean;
  /** Soft bounds: potentiation scales with (wMax - w), depression with (w - wMin). */
  multiplicative: boolean;
  /** Nearest-spike pairing: a spike sets its trace to 1 instead of adding 1. */
  nearest: boolean;
  tauPlusUs: number;
  tauMinusUs: number;
  aPlus: number;
  aMinus: number;
  wMin: number;
  wMax: number;
  tauEligibilityUs: number;
  learningRate: number;
}

export function readStdpParams(spec: PlasticitySpec, keyPath: string): StdpParams {
  if (spec.rule !== 'stdp' && spec.rule !== 'rstdp') throw new ConfigError(`${keyPath}.rule`, spec.rule, '"stdp" or "rstdp"');
  const mode = spec.mode ?? 'additive';
  if (mode !== 'additive' && mode !== 'multiplicative') throw new ConfigError(`${keyPath}.mode`, mode, '"additive" or "multiplicative"');
  const pairing = spec.pairing ?? 'all';
  if (pairing !== 'all' && pairing !== 'nearest') throw new ConfigError(`${keyPath}.pairing`, pairing, '"all" or "nearest"');
  const positive = (value: unknown, fallback: number, key: string): number => {
    const n = optionalNumber(value, fallback, `${keyPath}.${key}`);
    if (!(n > 0)) throw new ConfigError(`${keyPath}.${key}`, n, 'a number > 0');
    return n;
  };
  const wMin = optionalNumber(spec.wMin, 0, `${keyPath}.wMin`);
  const wMax = requireNumber(spec.wMax, `${keyPath}.wMax`);
  if (!(wMax > wMin)) throw new ConfigError(`${keyPath}.wMax`, wMax, `greater than wMin (${wMin})`);
  return {
    rewardModulated: spec.rule === 'rstdp',
    multiplicative: mode === 'multiplicative',
    nearest: pairing === 'nearest',
    tauPlusUs: positive(spec.tauPlusMs, 20, 'tauPlusMs') * 1000,
    tauMinusUs: positive(spec.tauMinusMs, 20, 'tauMinusMs') * 1000,
    aPlus: requireNumber(spec.aPlus, `${keyPath}.aPlus`),
    aMinus: requireNumber(spec.aMinus, `${keyPath}.aMinus`),
    wMin,
    wMax,
    tauEligibilityUs: positive(spec.tauEligibilityMs, 1000, 'tauEligibilityMs') * 1000,
    learningRate: optionalNumber(spec.learningRate, 1, `${keyPath}.learningRate`),
  };
}
