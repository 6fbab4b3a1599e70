import type { NpyField, NpyRecordLayout } from './dtype.ts';

/**
 * The record layouts nearly every event .npy uses (expelliarmus, tonic, spikeflow's own, packed or padded):
 * a little-endian 8-byte integer t, 2-byte integer x and y, a 1-byte p; at any offsets and record size.
 */
export interface CommonLayout {
  readonly itemSize: number;
  readonly t: number;
  readonly x: number;
  readonly y: number;
  readonly p: number;
  /**
   * The high words of t the loop accepts, as `(high - tHighLow) >>> 0 < tHighCount`: those of safe integers
   * (|t| < 2^53), less the one at -2^53 where only some low words are (the general path decides those).
   */
  readonly tHighLow: number;
  readonly tHighCount: number;
  /** x and y are read unsigned: a signed field's negative values are those >= 32768. */
  readonly xSignedLimit: number;
  readonly ySignedLimit: number;
  /** p is read unsigned: ON when 0 < p < 2^pBits (7 bits for i1, whose larger bytes are negative; else 8). */
  readonly pBits: number;
}

const littleInt = (f: NpyField, size: number) => f.size === size && f.kind !== 'f' && (f.littleEndian || size === 1);

export function commonLayout(L: NpyRecordLayout): CommonLayout | undefined {
  if (!littleInt(L.t, 8) || !littleInt(L.x, 2) || !littleInt(L.y, 2) || !littleInt(L.p, 1)) return undefined;
  return {
    itemSize: L.itemSize,
    t: L.t.offset,
    x: L.x.offset,
    y: L.y.offset,
    p: L.p.offset,
    tHighLow: L.t.kind === 'u' ? 0 : -(2 ** 21) + 1,
    tHighCount: L.t.kind === 'u' ? 2 ** 21 : 2 ** 22 - 1,
    xSignedLimit: L.x.kind === 'i' ? 32768 : 65536,
    ySignedLimit: L.y.kind === 'i' ? 32768 : 65536,
    pBits: L.p.kind === 'i' ? 7 : 8,
  };
}

/** What `decodeCommonRecords` reports besides the events it wrote. */
export interface RecordsResult {
  /** Records decoded: all `n`, or up to the first one the loop declines. */
  written: number;
  lastT: number;
  maxX: number;
  maxY: number;
}

/**
 * Decodes up to `n` records of `view` from byte `from` into out[k..] while t is non-decreasing and within
 * 2^53, 0 <= x < limitX and 0 <= y < limitY; stops at the first record that is not (the caller's general
 * path then accepts it or words the error). Direct DataView calls with constant types, which V8 compiles to
 * single (unaligned) loads: as fast for packed 13-byte records as for aligned ones, where a reader closure
 * per field costs a call per field.
 */
export function decodeCommonRecords(
  L: CommonLayout,
  view: DataView,
  from: number,
  n: number,
  out: { t: Float64Array; x: Uint16Array; y: Uint16Array; p: Uint8Array },
  k: number,
  limitX: number,
  limitY: number,
  result: RecordsResult,
): void {
  const { t: T, x: X, y: Y, p: P } = out;
  const size = L.itemSize;
  const tLo = L.t, tHi = L.t + 4, xo = L.x, yo = L.y, po = L.p;
  const tHighLow = L.tHighLow;
  const tHighCount = L.tHighCount;
  const pBits = L.pBits;
  const xLimit = Math.min(limitX, L.xSignedLimit);
  const yLimit = Math.min(limitY, L.ySignedLimit);
  let lastT = result.lastT;
  let maxX = result.maxX;
  let maxY = result.maxY;
  let i = 0;
  let o = from;
  for (; i < n; i++, k++, o += size) {
    const hi = view.getInt32(o + tHi, true);
    const ti = hi * 4294967296 + view.getUint32(o + tLo, true);
    const xi = view.getUint16(o + xo, true);
    const yi = view.getUint16(o + yo, true);
    if (!(ti >= lastT) || (hi - tHighLow) >>> 0 >= tHighCount || xi >= xLimit || yi >= yLimit) break;
    lastT = ti;
    maxX = xi > maxX ? xi : maxX;
    maxY = yi > maxY ? yi : maxY;
    const pv = view.getUint8(o + po);
    T[k] = ti;
    X[k] = xi;
    Y[k] = yi;
    // Without a branch (random polarities would mispredict half the time): (pv - 1) >>> 31 is 1 only for 0.
    P[k] = (1 ^ ((pv - 1) >>> 31)) & (1 ^ (pv >> pBits));
  }
  result.written = i;
  result.lastT = lastT;
  result.maxX = maxX;
  result.maxY = maxY;
}
