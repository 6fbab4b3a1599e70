import { ConfigError } from '../errors.ts';

/**
 * Colormaps as 256-entry RGB lookup tables. Sequential maps (gray, hot, viridis) take values in 0..1;
 * the diverging map 'onoff' takes -1..1 (OFF blue, zero black, ON red-yellow), so lookups index (v+1)/2.
 */
export const colormapNames = ['gray', 'hot', 'viridis', 'onoff'] as const;
export type ColormapName = (typeof colormapNames)[number];

/** Control points [position 0..1, r, g, b]; viridis is sampled at nine points of the published map. */
const controlPoints: Record<ColormapName, readonly (readonly [number, number, number, number])[]> = {
  gray: [
    [0, 0, 0, 0],
    [1, 255, 255, 255],
  ],
  hot: [
    [0, 0, 0, 0],
    [0.375, 255, 0, 0],
    [0.75, 255, 255, 0],
    [1, 255, 255, 255],
  ],
  viridis: [
    [0, 68, 1, 84],
    [0.125, 71, 44, 122],
    [0.25, 59, 81, 139],
    [0.375, 44, 113, 142],
    [0.5, 33, 144, 141],
    [0.625, 39, 173, 129],
    [0.75, 92, 200, 99],
    [0.875, 170, 220, 50],
    [1, 253, 231, 37],
  ],
  onoff: [
    [0, 120, 200, 255],
    [0.25, 30, 80, 220],
    [0.5, 0, 0, 0],
    [0.75, 220, 40, 20],
    [1, 255, 230, 80],
  ],
};

const tables = new Map<ColormapName, Uint8Array>();

export function isDiverging(name: ColormapName): boolean {
  return name === 'onoff';
}

/** The 256×3 lookup table of a colormap. */
export function colormapTable(name: string, keyPath = 'colormap'): Uint8Array {
  if (!(colormapNames as readonly string[]).includes(name)) {
    throw new ConfigError(keyPath, name, `one of ${colormapNames.join(', ')}`);
  }
  const key = name as ColormapName;
  let table = tables.get(key);
  if (!table) {
    table = buildTable(controlPoints[key]);
    tables.set(key, table);
  }
  return table;
}

function buildTable(points: readonly (readonly [number, number, number, number])[]): Uint8Array {
  const table = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    const v = i / 255;
    let k = 0;
    while (k < points.length - 2 && v > points[k + 1][0]) k++;
    const [p0, r0, g0, b0] = points[k];
    const [p1, r1, g1, b1] = points[k + 1];
    const f = p1 === p0 ? 0 : Math.min(1, Math.max(0, (v - p0) / (p1 - p0)));
    table[i * 3] = Math.round(r0 + f * (r1 - r0));
    table[i * 3 + 1] = Math.round(g0 + f * (g1 - g0));
    table[i * 3 + 2] = Math.round(b0 + f * (b1 - b0));
  }
  return table;
}
