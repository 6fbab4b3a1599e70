import { CodecError } from '../../codecs/codecError.ts';

/**
 * Just enough of the FlatBuffers binary format to read AEDAT 4 tables: a table starts with an int32 offset
 * back to its vtable; the vtable lists each field's offset inside the table (0 = absent, use the default).
 * Offsets in errors are relative to the start of `bytes`. Every offset is bounds-checked.
 */
export class FlatTable {
  private readonly vtable: number;
  private readonly vtableSize: number;

  constructor(
    private readonly view: DataView,
    readonly position: number,
  ) {
    checkRange(view, position, 4, 'table');
    this.vtable = position - view.getInt32(position, true);
    checkRange(view, this.vtable, 4, 'vtable');
    this.vtableSize = view.getUint16(this.vtable, true);
    checkRange(view, this.vtable, this.vtableSize, 'vtable');
  }

  /** The root table of a buffer starting at `start` (for size-prefixed buffers, after the size). */
  static root(view: DataView, start: number): FlatTable {
    checkRange(view, start, 8, 'root offset');
    return new FlatTable(view, start + view.getUint32(start, true));
  }

  /** Byte position of field `index`, or 0 when absent. */
  field(index: number): number {
    const slot = 4 + 2 * index;
    if (slot + 2 > this.vtableSize) return 0;
    const offset = this.view.getUint16(this.vtable + slot, true);
    return offset === 0 ? 0 : this.position + offset;
  }

  int32(index: number, fallback: number): number {
    const at = this.field(index);
    if (at === 0) return fallback;
    checkRange(this.view, at, 4, 'int32 field');
    return this.view.getInt32(at, true);
  }

  /** int64 as a double (exact below 2^53, which covers file offsets and µs timestamps). */
  int64(index: number, fallback: number): number {
    const at = this.field(index);
    if (at === 0) return fallback;
    checkRange(this.view, at, 8, 'int64 field');
    return this.view.getUint32(at, true) + this.view.getInt32(at + 4, true) * 4294967296;
  }

  /** A vector field: where its first element is and how many elements it has (0 elements when absent). */
  vector(index: number, elementSize: number): { start: number; length: number } {
    const at = this.field(index);
    if (at === 0) return { start: 0, length: 0 };
    checkRange(this.view, at, 4, 'vector offset');
    const vec = at + this.view.getUint32(at, true);
    checkRange(this.view, vec, 4, 'vector length');
    const length = this.view.getUint32(vec, true);
    checkRange(this.view, vec + 4, length * elementSize, 'vector elements');
    return { start: vec + 4, length };
  }

  string(index: number): string | undefined {
    const at = this.field(index);
    if (at === 0) return undefined;
    const { start, length } = this.vector(index, 1);
    return new TextDecoder().decode(new Uint8Array(this.view.buffer, this.view.byteOffset + start, length));
  }
}

function checkRange(view: DataView, at: number, size: number, what: string): void {
  if (at < 0 || at + size > view.byteLength) {
    throw new CodecError(at, `flatbuffer ${what} at ${at}..${at + size} lies outside the ${view.byteLength}-byte buffer`);
  }
}
