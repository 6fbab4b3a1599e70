import type { NpyField } from '../npy/dtype.ts';
import { fieldReader, type FieldReader } from '../npy/readField.ts';

/** The part of h5wasm's Emscripten module used to read a hyperslab as raw bytes (no per-element objects). */
export interface RawModule {
  _malloc(bytes: number): number;
  _free(ptr: number): void;
  readonly HEAPU8: Uint8Array;
  get_dataset_data(fileId: bigint, path: string, count: bigint[] | null, offset: bigint[] | null, strides: bigint[] | null, ptr: bigint): number;
}

/** h5wasm's metadata of a numeric type or a compound member. */
export interface NumericMeta {
  readonly type: number; // 0 integer, 1 float (H5T_class_t)
  readonly size: number;
  readonly signed: boolean;
  readonly littleEndian: boolean;
  readonly offset?: number;
  readonly name?: string;
}

/** A reader for a number at `meta.offset` within each element (the npy field readers, shared). */
export function columnReader(meta: NumericMeta): FieldReader | string {
  if (meta.type !== 0 && meta.type !== 1) return `type class ${meta.type} is not a number`;
  const kind = meta.type === 1 ? 'f' : meta.signed ? 'i' : 'u';
  // h5wasm reads every number little-endian whatever the file's order (it sets the memory type's order).
  const field: NpyField = { name: meta.name ?? '', offset: meta.offset ?? 0, kind, size: meta.size, littleEndian: true };
  try {
    return fieldReader(field);
  } catch {
    return `a ${meta.size}-byte ${kind === 'f' ? 'float' : 'integer'} is not supported`;
  }
}

/**
 * Elements start..start+count of a 1-D dataset, as the raw bytes libhdf5 hands over (the file's element
 * layout converted to the platform's, i.e. little-endian here). The copy leaves WASM memory free again.
 */
export function readRaw(module: RawModule, fileId: bigint, path: string, start: number, count: number, elementSize: number): DataView {
  const bytes = count * elementSize;
  const ptr = module._malloc(Math.max(bytes, 1));
  if (ptr === 0) throw new Error(`h5wasm could not allocate ${bytes} bytes`);
  try {
    module.get_dataset_data(fileId, path, [BigInt(count)], [BigInt(start)], [1n], BigInt(ptr));
    const copy = module.HEAPU8.slice(ptr, ptr + bytes);
    return new DataView(copy.buffer);
  } finally {
    module._free(ptr);
  }
}
