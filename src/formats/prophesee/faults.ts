import type { Geometry } from '../../events/geometry.ts';

// Messages shared by the Prophesee decoders' DecodeErrors.

export function outside(x: number, y: number, geometry: Geometry): string {
  return (
    `event at x=${x}, y=${y} lies outside the ${geometry.width}x${geometry.height} sensor ` +
    `(the data is corrupt, or the geometry is wrong: give --width/--height)`
  );
}

export function backwards(format: string, from: number, to: number): string {
  return `${format} time goes back (${from} µs → ${to} µs): the data is corrupt (t never decreases)`;
}
