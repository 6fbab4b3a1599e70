/**
 * exp(-k / tau) for integer k µs, precomputed with the very expression the fallback uses, so a lookup returns the
 * same double as calling Math.exp: exactness is kept while the hot loop skips one exp per updated neuron.
 */
export interface DecayTable {
  readonly tauUs: number;
  /** Not readonly: the wasm engine moves it into its memory. */
  table: Float64Array;
}

/** Covers a few time constants (longer gaps are rare and fall back to Math.exp); capped to stay in cache. */
export function createDecayTable(tauUs: number, maxEntries = 1 << 16): DecayTable {
  const n = Math.max(1, Math.min(maxEntries, Math.ceil(8 * tauUs) + 1));
  const table = new Float64Array(n);
  for (let k = 0; k < n; k++) table[k] = decayExact(k, tauUs);
  return { tauUs, table };
}

/** The reference: what every table entry must equal. */
export function decayExact(dtUs: number, tauUs: number): number {
  return Math.exp(-dtUs / tauUs);
}

export function decayFactor(decay: DecayTable, dtUs: number): number {
  return dtUs < decay.table.length ? decay.table[dtUs] : Math.exp(-dtUs / decay.tauUs);
}
