import type { DecayTable } from './decayTable.ts';
import type { LifParams } from './lifParams.ts';

/** The per-neuron state a delta-synapse LIF step reads and writes (struct of arrays, one slot per neuron). */
export interface DeltaLifState {
  readonly v: Float64Array;
  /** Time of the last update, or the end of the refractory period after a spike. */
  readonly tLast: Float64Array;
  /** Input summed at the current timestamp, cleared by the step. */
  readonly acc: Float64Array;
  /** 1 while the neuron is listed in `touched`, cleared by the step. */
  readonly mark: Uint8Array;
  readonly touched: Int32Array;
  readonly spiked: Int32Array;
}

/**
 * The threshold step at time `t` of the first `nTouched` touched neurons of a delta-synapse LIF population: exact
 * decay since the neuron's last update (the table's doubles, or `Math.exp` beyond it), plus the input summed at
 * `t`, then `v > threshold` spikes and resets; input during refractoriness is discarded. Writes the spiking
 * neurons to `state.spiked` in touched order and returns how many. `Network`'s populations and `ConvLifLayer` both
 * run this one function, so their spikes are equal by construction, not by keeping two copies in step.
 */
export function deltaLifStep(state: DeltaLifState, nTouched: number, t: number, params: LifParams, decay: DecayTable): number {
  const { v, tLast, acc, mark, touched, spiked } = state;
  const { threshold, vReset, vRest, refractoryUs } = params;
  const table = decay.table;
  const tableLength = table.length;
  const tauUs = decay.tauUs;
  let nSpiked = 0;
  for (let k = 0; k < nTouched; k++) {
    const j = touched[k];
    const input = acc[j];
    acc[j] = 0;
    mark[j] = 0;
    const dt = t - tLast[j];
    if (dt < 0) continue; // refractory: input discarded (v stays at vReset)
    const x = (dt > 0 ? vRest + (v[j] - vRest) * (dt < tableLength ? table[dt] : Math.exp(-dt / tauUs)) : v[j]) + input;
    if (x > threshold) {
      v[j] = vReset;
      tLast[j] = t + refractoryUs;
      spiked[nSpiked++] = j;
    } else {
      v[j] = x;
      tLast[j] = t;
    }
  }
  return nSpiked;
}
