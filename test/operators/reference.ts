import type { Row } from './batches.ts';

/**
 * The filters' rules written the plain way (maps and explicit bounds checks, one event at a time), to check
 * the typed-array kernels against on real recordings.
 */
export function referenceBackgroundActivity(
  rows: Row[],
  width: number,
  height: number,
  windowUs: number,
  includeSelf = false,
): Row[] {
  const last = new Map<number, number>();
  const kept: Row[] = [];
  for (const row of rows) {
    const [t, x, y] = row;
    let supported = false;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const nx = x + dx;
        const ny = y + dy;
        if ((dx === 0 && dy === 0 && !includeSelf) || nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
        const seen = last.get(ny * width + nx);
        if (seen !== undefined && t - seen < windowUs) supported = true;
      }
    }
    if (supported) kept.push(row);
    last.set(y * width + x, t);
  }
  return kept;
}

/** dv-processing refractory rule: every event restarts its pixel's (or pixel and polarity's) period. */
export function referenceRefractory(rows: Row[], periodUs: number, perPolarity = false): Row[] {
  const last = new Map<string, number>();
  return rows.filter(([t, x, y, p]) => {
    const key = perPolarity ? `${x},${y},${p}` : `${x},${y}`;
    const previous = last.get(key);
    last.set(key, t);
    return previous === undefined || t - previous >= periodUs;
  });
}
