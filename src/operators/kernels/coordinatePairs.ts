/**
 * Coordinate transforms two events at a time: a Uint16Array's values read as 32-bit words hold two coordinates
 * each, and a subtraction or a masked shift that never carries across the 16-bit halves transforms both at once,
 * halving the loop's loads, stores and bounds checks. The halves stay independent, so byte order does not matter.
 * Inputs whose data does not start on a 4-byte boundary (a view at an odd index) take the plain loop.
 */

/** `last - v` for every value; every value must be at most `last` (coordinates on the sensor are). */
export function mirrored(values: Uint16Array, last: number): Uint16Array {
  const n = values.length;
  const out = new Uint16Array(n);
  let i = 0;
  if ((values.byteOffset & 3) === 0) {
    const words = n >>> 1;
    const src = new Uint32Array(values.buffer, values.byteOffset, words);
    const dst = new Uint32Array(out.buffer, 0, words);
    // v <= last in both halves: no borrow crosses from the low half into the high one.
    const lasts = Math.imul(last, 0x10001);
    for (let w = 0; w < words; w++) dst[w] = (lasts - src[w]) | 0;
    i = words * 2;
  }
  for (; i < n; i++) out[i] = last - values[i];
  return out;
}

/** `v >> shift` for every value (a division by 2^shift, rounded down). */
export function shiftedRight(values: Uint16Array, shift: number): Uint16Array {
  const n = values.length;
  const out = new Uint16Array(n);
  let i = 0;
  if ((values.byteOffset & 3) === 0) {
    const words = n >>> 1;
    const src = new Uint32Array(values.buffer, values.byteOffset, words);
    const dst = new Uint32Array(out.buffer, 0, words);
    // The bits the high half shifts into the low half are cleared.
    const keep = Math.imul(0xffff >>> shift, 0x10001);
    for (let w = 0; w < words; w++) dst[w] = (src[w] >>> shift) & keep;
    i = words * 2;
  }
  for (; i < n; i++) out[i] = values[i] >>> shift;
  return out;
}
