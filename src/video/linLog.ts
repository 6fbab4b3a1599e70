/**
 * v2e's lin-log photoreceptor response: `log(I)` above a small linear cut-off and a straight line below it,
 * chosen to meet the log curve at the cut-off, so that dark pixels (where log would explode and shot noise
 * dominates) produce few events. `I` is in 8-bit digital numbers (0..255); the default cut-off is 20 DN.
 */
export const DEFAULT_LINEAR_CUTOFF = 20;

export function linLog(intensity: number, cutoff = DEFAULT_LINEAR_CUTOFF): number {
  if (intensity >= cutoff) return Math.log(intensity);
  return (intensity * Math.log(cutoff)) / cutoff;
}

/** The lin-log value of every 8-bit level, so the per-pixel work is one table read. */
export function linLogTable8(cutoff = DEFAULT_LINEAR_CUTOFF): Float64Array {
  const table = new Float64Array(256);
  for (let v = 0; v < 256; v++) table[v] = linLog(v, cutoff);
  return table;
}
