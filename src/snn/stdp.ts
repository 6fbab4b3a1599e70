import type { SynapseTable } from './delayGroups.ts';
import type { StdpParams } from './stdpParams.ts';

/**
 * Pair-based STDP on one synapse table, trace-based and event-driven: a presynaptic trace per pre neuron and a
 * postsynaptic trace per post neuron, each decayed lazily to the time it is read. All-to-all pairing adds 1 to a
 * trace per spike; nearest-spike pairing (Masquelier et al. 2008) sets it to 1.
 *
 * - Presynaptic arrival at t (after the spike was transmitted with the old weight): depression by the post trace,
 *   then the pre trace jumps by 1.
 * - Postsynaptic spike at t: potentiation by the pre traces (arrivals at the same t count as causal), then the post
 *   trace jumps by 1.
 * With reward modulation the changes accumulate in a per-synapse eligibility trace instead, and `reward(r, t)`
 * moves every weight by learningRate * r * eligibility(t). Weights always stay in [wMin, wMax].
 */
export class StdpRule {
  readonly params: StdpParams;
  private readonly table: SynapseTable;
  private readonly preTrace: Float64Array;
  private readonly preTime: Float64Array;
  private readonly postTrace: Float64Array;
  private readonly postTime: Float64Array;
  /** Column index: the CSR slots of post neuron j are colSlot[colPtr[j] .. colPtr[j+1]-1]. */
  private readonly colPtr: Int32Array;
  private readonly colSlot: Int32Array;
  private readonly eligibility: Float64Array;
  private readonly eligibilityTime: Float64Array;

  constructor(table: SynapseTable, nPre: number, nPost: number, params: StdpParams) {
    this.table = table;
    this.params = params;
    this.preTrace = new Float64Array(nPre);
    this.preTime = new Float64Array(nPre);
    this.postTrace = new Float64Array(nPost);
    this.postTime = new Float64Array(nPost);
    const m = table.post.length;
    this.colPtr = new Int32Array(nPost + 1);
    for (let s = 0; s < m; s++) this.colPtr[table.post[s] + 1]++;
    for (let j = 0; j < nPost; j++) this.colPtr[j + 1] += this.colPtr[j];
    const fill = this.colPtr.slice(0, nPost);
    this.colSlot = new Int32Array(m);
    for (let s = 0; s < m; s++) this.colSlot[fill[table.post[s]]++] = s;
    this.eligibility = new Float64Array(params.rewardModulated ? m : 0);
    this.eligibilityTime = new Float64Array(params.rewardModulated ? m : 0);
  }

  onPreArrival(i: number, start: number, end: number, t: number): void {
    const { aMinus, tauMinusUs, tauPlusUs, multiplicative, wMin } = this.params;
    const { post, w } = this.table;
    for (let s = start; s < end; s++) {
      const j = post[s];
      const y = this.postTrace[j] * Math.exp(-(t - this.postTime[j]) / tauMinusUs);
      if (y !== 0) this.change(s, -aMinus * y * (multiplicative ? w[s] - wMin : 1), t);
    }
    this.preTrace[i] = this.params.nearest ? 1 : this.preTrace[i] * Math.exp(-(t - this.preTime[i]) / tauPlusUs) + 1;
    this.preTime[i] = t;
  }

  onPostSpike(j: number, t: number): void {
    const { aPlus, tauPlusUs, tauMinusUs, multiplicative, wMax } = this.params;
    const { pre, w } = this.table;
    for (let k = this.colPtr[j]; k < this.colPtr[j + 1]; k++) {
      const s = this.colSlot[k];
      const i = pre[s];
      const x = this.preTrace[i] * Math.exp(-(t - this.preTime[i]) / tauPlusUs);
      if (x !== 0) this.change(s, aPlus * x * (multiplicative ? wMax - w[s] : 1), t);
    }
    this.postTrace[j] = this.params.nearest ? 1 : this.postTrace[j] * Math.exp(-(t - this.postTime[j]) / tauMinusUs) + 1;
    this.postTime[j] = t;
  }

  /** Applies a reward (any sign) at time t to every synapse through its eligibility trace. */
  reward(amount: number, t: number): void {
    if (!this.params.rewardModulated) return;
    const { learningRate, tauEligibilityUs } = this.params;
    const { w } = this.table;
    for (let s = 0; s < w.length; s++) {
      const e = this.eligibility[s] * Math.exp(-(t - this.eligibilityTime[s]) / tauEligibilityUs);
      this.eligibility[s] = e;
      this.eligibilityTime[s] = t;
      w[s] = this.clip(w[s] + learningRate * amount * e);
    }
  }

  /** Current eligibility of CSR slot s at time t (for inspection and tests). */
  eligibilityAt(s: number, t: number): number {
    return this.eligibility[s] * Math.exp(-(t - this.eligibilityTime[s]) / this.params.tauEligibilityUs);
  }

  private change(s: number, dw: number, t: number): void {
    if (this.params.rewardModulated) {
      this.eligibility[s] = this.eligibilityAt(s, t) + dw;
      this.eligibilityTime[s] = t;
    } else {
      this.table.w[s] = this.clip(this.table.w[s] + dw);
    }
  }

  private clip(w: number): number {
    const { wMin, wMax } = this.params;
    return w < wMin ? wMin : w > wMax ? wMax : w;
  }
}
