/** Set by each parseNumber call: whether the number had a decimal point or exponent. */
export const lastParse = { decimal: false };

/**
 * Parses an ASCII number in bytes[s..e): integers on a fast path, anything with `.`/`e` through
 * Number(); `lastParse.decimal` tells whether it was written with a decimal point or exponent (⇒ seconds).
 * Returns NaN for anything that is not a number.
 */
export function parseNumber(bytes: Uint8Array, s: number, e: number): number {
  lastParse.decimal = false;
  if (s >= e) return NaN;
  let i = s;
  let negative = false;
  if (bytes[i] === 0x2d || bytes[i] === 0x2b) {
    negative = bytes[i] === 0x2d;
    i++;
  }
  let value = 0;
  const digitsStart = i;
  for (; i < e; i++) {
    const d = bytes[i]! - 0x30;
    if (d < 0 || d > 9) break;
    value = value * 10 + d;
  }
  if (i === e && i > digitsStart && i - digitsStart <= 15) return negative ? -value : value;
  let text = '';
  for (let k = s; k < e; k++) text += String.fromCharCode(bytes[k]!);
  lastParse.decimal = /[.eE]/.test(text);
  // Number('') is 0 and Number('0x10') is 16: only plain decimal notation is a number here.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return NaN;
  return Number(text);
}

/**
 * Seconds written in decimal (`12.3456785`) to the nearest µs, rounding half away from zero on the decimal
 * digits themselves (so `0.0000005` is 1 µs, which `Math.round(0.0000005 * 1e6)` does not guarantee).
 * Exponent notation falls back to the double product. NaN when the field is not a number.
 */
export function secondsToMicros(bytes: Uint8Array, s: number, e: number): number {
  let i = s;
  let sign = 1;
  if (bytes[i] === 0x2d || bytes[i] === 0x2b) {
    if (bytes[i] === 0x2d) sign = -1;
    i++;
  }
  let whole = 0;
  let digits = 0;
  for (; i < e && bytes[i]! >= 0x30 && bytes[i]! <= 0x39; i++, digits++) whole = whole * 10 + bytes[i]! - 0x30;
  let micros = 0;
  let roundUp = false;
  if (i < e && bytes[i] === 0x2e) {
    i++;
    let k = 0;
    for (; i < e && bytes[i]! >= 0x30 && bytes[i]! <= 0x39; i++, k++, digits++) {
      if (k < 6) micros = micros * 10 + bytes[i]! - 0x30;
      else if (k === 6) roundUp = bytes[i]! >= 0x35;
    }
    for (; k < 6; k++) micros *= 10;
  }
  if (i !== e || digits === 0) {
    const v = parseNumber(bytes, s, e);
    return Number.isNaN(v) ? NaN : Math.round(v * 1e6);
  }
  return sign * (whole * 1e6 + micros + (roundUp ? 1 : 0));
}
