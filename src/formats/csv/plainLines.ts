/**
 * The CSV decoder's fast path: data lines made only of unsigned decimal integers (and, for t in seconds,
 * `digits.digits`), parsed straight from the bytes. It declines — returns — at the first line that is
 * anything else (a comment, a blank line, a sign, an exponent, a 16th digit, an out-of-range value, a
 * decreasing t, extra fields), and the general line parser takes that line, so messages and corner cases stay
 * in one place and the fast path only ever accepts what the general parser would accept identically.
 */
export interface PlainLineState {
  /** Column index of each field and the number of columns a line must have. */
  readonly it: number;
  readonly ix: number;
  readonly iy: number;
  readonly ip: number;
  readonly columns: number;
  /** t in seconds (rounded to the nearest µs on its decimal digits), else integer µs. */
  readonly seconds: boolean;
  readonly limitX: number;
  readonly limitY: number;
  /** Carried from line to line (read and updated). */
  lastT: number;
  maxX: number;
  maxY: number;
  /** Lines consumed by the last call. */
  lines: number;
}

const COMMA = 0x2c;
const SPACE = 0x20;
const TAB = 0x09;
const SEMICOLON = 0x3b;
const LF = 0x0a;
const CR = 0x0d;
const DOT = 0x2e;

/**
 * Decodes lines of bytes[s..end) (where bytes[end - 1] is '\n', so every loop stops at a line end) into
 * out[k..]; returns the offset of the first line it declined, or `end`. `values` is scratch, one per column.
 */
export function decodePlainLines(
  b: Uint8Array,
  s: number,
  end: number,
  out: { t: Float64Array; x: Uint16Array; y: Uint16Array; p: Uint8Array },
  k: number,
  st: PlainLineState,
  values: Float64Array,
): { next: number; written: number } {
  const { t: T, x: X, y: Y, p: P } = out;
  const { it, ix, iy, ip, columns, seconds, limitX, limitY } = st;
  let lastT = st.lastT;
  let maxX = st.maxX;
  let maxY = st.maxY;
  const k0 = k;
  let i = s;
  let lines = 0;
  lines: while (i < end) {
    const lineStart = i;
    let c = b[i]!;
    for (let f = 0; f < columns; f++) {
      while (c === COMMA || c === SPACE || c === TAB || c === SEMICOLON) c = b[++i]!;
      const start = i;
      let v = 0;
      let d = c - 0x30;
      while (d >= 0 && d <= 9) {
        v = v * 10 + d;
        c = b[++i]!;
        d = c - 0x30;
      }
      const digits = i - start;
      if (digits === 0 || digits > 15) {
        i = lineStart;
        break lines;
      }
      if (f === it && seconds) {
        // secondsToMicros on the decimal digits: 6 kept, the 7th rounds half up (away from zero: no sign here).
        if (digits > 9) {
          i = lineStart;
          break lines;
        }
        let micros = 0;
        let k6 = 0;
        let up = 0;
        if (c === DOT) {
          c = b[++i]!;
          d = c - 0x30;
          while (d >= 0 && d <= 9) {
            if (k6 < 6) micros = micros * 10 + d;
            else if (k6 === 6) up = d >= 5 ? 1 : 0;
            k6++;
            c = b[++i]!;
            d = c - 0x30;
          }
          for (; k6 < 6; k6++) micros *= 10;
        }
        v = v * 1e6 + micros + up;
      }
      // A field ends at a separator or the line end (a CR only right before the LF, as the general parser strips).
      if (!(c === COMMA || c === SPACE || c === TAB || c === SEMICOLON || c === LF || (c === CR && b[i + 1] === LF))) {
        i = lineStart;
        break lines;
      }
      values[f] = v;
    }
    while (c === COMMA || c === SPACE || c === TAB || c === SEMICOLON) c = b[++i]!;
    if (c === CR && b[i + 1] === LF) c = b[++i]!;
    if (c !== LF) {
      i = lineStart;
      break;
    }
    const ti = values[it]!;
    const xi = values[ix]!;
    const yi = values[iy]!;
    const pi = values[ip]!;
    if (ti < lastT || xi >= limitX || yi >= limitY || pi > 1) {
      i = lineStart;
      break;
    }
    lastT = ti;
    if (xi > maxX) maxX = xi;
    if (yi > maxY) maxY = yi;
    T[k] = ti;
    X[k] = xi;
    Y[k] = yi;
    P[k] = pi;
    k++;
    i++;
    lines++;
  }
  st.lastT = lastT;
  st.maxX = maxX;
  st.maxY = maxY;
  st.lines = lines;
  return { next: i, written: k - k0 };
}
