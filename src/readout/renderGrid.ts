import { colormapTable, isDiverging, type ColormapName } from './colormaps.ts';

/**
 * Renders per-neuron values of a [cellsX, cellsY, channels] grid as an RGB image at sensor scale (nearest
 * upscale by `pool`, cropped to width × height). One channel is shown as is; two channels (OFF, ON) are shown as
 * ON − OFF with a diverging map, or as ON + OFF with a sequential one. Values are divided by `scale` (the value
 * shown at full colour); scale ≤ 0 means "the largest magnitude in the image".
 */
export interface GridImage {
  readonly cellsX: number;
  readonly cellsY: number;
  readonly channels: number;
  readonly pool: number;
  readonly width: number;
  readonly height: number;
}

export function renderGrid(values: ArrayLike<number>, grid: GridImage, colormap: ColormapName, scale = 0, into?: Uint8Array): Uint8Array {
  const { cellsX, cellsY, channels, pool, width, height } = grid;
  const plane = cellsX * cellsY;
  const diverging = isDiverging(colormap);
  const cellValue = new Float32Array(plane);
  for (let i = 0; i < plane; i++) {
    let v = values[i];
    if (channels === 2) v = diverging ? values[plane + i] - v : values[plane + i] + v;
    cellValue[i] = v;
  }
  const norm = scale > 0 ? scale : robustPeak(cellValue);
  const table = colormapTable(colormap);
  // Colour each cell once, then copy it over its pool × pool block.
  const cellRgb = new Uint8Array(plane * 3);
  for (let i = 0; i < plane; i++) {
    let u = cellValue[i] / norm;
    u = diverging ? (Math.max(-1, Math.min(1, u)) + 1) / 2 : Math.max(0, Math.min(1, u));
    const k = Math.round(u * 255) * 3;
    cellRgb[i * 3] = table[k];
    cellRgb[i * 3 + 1] = table[k + 1];
    cellRgb[i * 3 + 2] = table[k + 2];
  }
  // Fill the first pixel row of each row of cells, then copy it down the cell's other pixel rows. Every byte is
  // written, so the image needs no zeroing (allocUnsafe: a 640×480 map is 900 kB per frame), and a caller may
  // hand in the previous image to be overwritten (`into`): a fresh one per map costs page faults and GC.
  const rgb: Uint8Array = into !== undefined && into.length === width * height * 3 ? into : Buffer.allocUnsafe(width * height * 3);
  const rowBytes = width * 3;
  for (let y = 0; y < height; y += pool) {
    const rowCell = Math.floor(y / pool) * cellsX;
    const row = y * rowBytes;
    let o = row;
    for (let cx = 0; cx < cellsX; cx++) {
      const c = (rowCell + cx) * 3;
      const r = cellRgb[c];
      const g = cellRgb[c + 1];
      const b = cellRgb[c + 2];
      const end = Math.min(row + rowBytes, o + pool * 3);
      for (; o < end; o += 3) {
        rgb[o] = r;
        rgb[o + 1] = g;
        rgb[o + 2] = b;
      }
    }
    const last = Math.min(height, y + pool);
    for (let yy = y + 1; yy < last; yy++) rgb.copyWithin(yy * rowBytes, row, row + rowBytes);
  }
  return rgb;
}

/** The 98th percentile of the non-zero magnitudes (at least the smallest non-zero one; 1 for an empty image). */
function robustPeak(values: Float32Array): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) n++;
  if (n === 0) return 1;
  const magnitudes = new Float32Array(n);
  let k = 0;
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) magnitudes[k++] = Math.abs(values[i]);
  // The element a full sort would put at this index, found in linear time (sorting was a third of a map).
  return selectKth(magnitudes, Math.min(n - 1, Math.floor(0.98 * n)));
}

/** Quickselect (Hoare partition, median-of-three pivot): reorders `a` and returns its k-th smallest value. */
export function selectKth(a: Float32Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    // Median of three as the pivot keeps sorted or constant runs from degrading to quadratic time.
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

function swap(a: Float32Array, i: number, j: number): void {
  const x = a[i];
  a[i] = a[j];
  a[j] = x;
}
