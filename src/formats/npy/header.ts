import { recordLayout, type NpyRecordLayout } from './dtype.ts';
import { parsePyLiteral } from './pyLiteral.ts';

export const NPY_MAGIC = Uint8Array.of(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59); // \x93NUMPY
/** Larger headers are refused: a damaged length must not make the decoder buffer without bound. */
export const MAX_HEADER_BYTES = 1 << 20;

export function hasNpyMagic(head: Uint8Array): boolean {
  return head.length >= 6 && NPY_MAGIC.every((b, i) => head[i] === b);
}

/** Bytes before the header text (magic, version, length field) and the header length, once 12 bytes are in. */
export function preamble(head: Uint8Array): { version: number; textStart: number; textLength: number } | string {
  if (!hasNpyMagic(head)) return 'expected the NumPy magic "\\x93NUMPY"';
  const version = head[6]!;
  if (version < 1 || version > 3) return `NPY format version ${version}.${head[7]} is not supported (1, 2 or 3)`;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (version === 1) return { version, textStart: 10, textLength: view.getUint16(8, true) };
  return { version, textStart: 12, textLength: view.getUint32(8, true) };
}

export interface NpyHeader {
  readonly layout: NpyRecordLayout;
  /** Number of records the header announces. */
  readonly count: number;
}

/** Interprets the header dict; returns a message for anything spikeflow cannot read. */
export function parseHeaderText(text: string): NpyHeader | string {
  let dict;
  try {
    dict = parsePyLiteral(text.trim());
  } catch (error) {
    return `the header is not a Python dict literal: ${(error as Error).message}`;
  }
  if (!dict || typeof dict !== 'object' || Array.isArray(dict)) return 'the header is not a dict';
  const { descr, fortran_order: fortran, shape } = dict;
  if (!Array.isArray(shape) || shape.length !== 1 || typeof shape[0] !== 'number') {
    return `shape ${JSON.stringify(shape)} is not one-dimensional (a structured event array has shape (N,))`;
  }
  if (fortran !== false && fortran !== true) return 'fortran_order is missing';
  const layout = recordLayout(descr ?? null);
  if (typeof layout === 'string') return layout;
  return { layout, count: shape[0] };
}
