/**
 * Compressed sparse row synapse table: the synapses of presynaptic neuron i are rowPtr[i] .. rowPtr[i+1]-1.
 * A popped queue entry (one per spike per delay) expands its fan-out by walking one row.
 */
export interface CsrTable {
  rowPtr: Int32Array;
  post: Int32Array;
  w: Float64Array;
  /** Index of each CSR slot in the original synapse list (for reading weights back in creation order). */
  origin: Int32Array;
}

/** Stable counting sort by pre: within a row, synapses keep their creation order. */
export function buildCsr(nPre: number, pre: Int32Array, post: Int32Array, w: Float64Array, pick?: Int32Array): CsrTable {
  const indices = pick ?? identity(pre.length);
  const m = indices.length;
  const rowPtr = new Int32Array(nPre + 1);
  for (let k = 0; k < m; k++) rowPtr[pre[indices[k]] + 1]++;
  for (let i = 0; i < nPre; i++) rowPtr[i + 1] += rowPtr[i];
  const fill = rowPtr.slice(0, nPre);
  const outPost = new Int32Array(m);
  const outW = new Float64Array(m);
  const origin = new Int32Array(m);
  for (let k = 0; k < m; k++) {
    const s = indices[k];
    const slot = fill[pre[s]]++;
    outPost[slot] = post[s];
    outW[slot] = w[s];
    origin[slot] = s;
  }
  return { rowPtr, post: outPost, w: outW, origin };
}

function identity(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}
