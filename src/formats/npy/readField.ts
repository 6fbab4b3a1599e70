import type { NpyField } from './dtype.ts';

/** A reader of one field of a record starting at byte `o` of `view`. */
export type FieldReader = (view: DataView, o: number) => number;

/** Built once per file, so the per-record loop has no type switch. 64-bit integers are read as two halves. */
export function fieldReader(f: NpyField): FieldReader {
  const at = f.offset;
  const le = f.littleEndian;
  const lo = le ? at : at + 4;
  const hi = le ? at + 4 : at;
  switch (`${f.kind}${f.size}`) {
    case 'b1':
    case 'u1':
      return (v, o) => v.getUint8(o + at);
    case 'i1':
      return (v, o) => v.getInt8(o + at);
    case 'u2':
      return (v, o) => v.getUint16(o + at, le);
    case 'i2':
      return (v, o) => v.getInt16(o + at, le);
    case 'u4':
      return (v, o) => v.getUint32(o + at, le);
    case 'i4':
      return (v, o) => v.getInt32(o + at, le);
    case 'u8':
      return (v, o) => v.getUint32(o + hi, le) * 4294967296 + v.getUint32(o + lo, le);
    case 'i8':
      return (v, o) => v.getInt32(o + hi, le) * 4294967296 + v.getUint32(o + lo, le);
    case 'f4':
      return (v, o) => v.getFloat32(o + at, le);
    case 'f8':
      return (v, o) => v.getFloat64(o + at, le);
    default:
      throw new Error(`no reader for ${f.kind}${f.size}`);
  }
}
