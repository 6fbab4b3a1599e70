import { DecodeError } from '../../errors.ts';

/** Filters compiled into h5wasm's libhdf5 (deflate, shuffle, fletcher32, nbit, scaleoffset). */
const BUILT_IN = new Set([1, 2, 3, 5, 6]);

/** Registered HDF5 filter ids (https://github.com/HDFGroup/hdf5_plugins registry) seen in event datasets. */
const KNOWN_NAMES: Record<number, string> = {
  4: 'szip',
  307: 'bzip2',
  32000: 'lzf',
  32001: 'blosc',
  32004: 'lz4',
  32008: 'bitshuffle',
  32013: 'zfp',
  32015: 'zstd',
  32026: 'blosc2',
  36559: 'ECF (Prophesee event codec)',
};

export interface FilterInfo {
  readonly id: number;
  readonly name: string;
}

/**
 * Refuses a dataset whose filter pipeline needs a filter h5wasm lacks, naming it, before any read:
 * libhdf5 would otherwise fail deep inside a read with a generic message (and print its error stack).
 */
export function checkFilters(file: string, dataset: string, filters: readonly FilterInfo[]): void {
  for (const f of filters) {
    if (BUILT_IN.has(f.id)) continue;
    const name = KNOWN_NAMES[f.id] ?? (f.name || 'unregistered');
    throw new DecodeError(
      file,
      0,
      `dataset ${dataset} is compressed with HDF5 filter ${f.id} (${name}), which h5wasm cannot decode; ` +
        `re-save it without that filter (e.g. h5repack -f NONE) or with gzip`,
    );
  }
}

/** Maps a libhdf5 error message that mentions a missing filter to the same DecodeError. */
export function filterErrorFrom(file: string, dataset: string, error: unknown): DecodeError | undefined {
  const m = /filter (\d+) is not registered|required filter '?(\w+)'? (?:is )?not (?:registered|available)/i.exec(String(error));
  if (!m) return undefined;
  // Creating a dataset names the filter by id, reading it by the name stored in the file.
  const token = m[1] ?? m[2]!;
  const id = /^\d+$/.test(token)
    ? Number(token)
    : Object.entries(KNOWN_NAMES).map(([k, v]) => [Number(k), v.split(' ')[0]!.toLowerCase()] as const).find(([, v]) => v === token.toLowerCase())?.[0];
  const name = (id !== undefined ? KNOWN_NAMES[id] : undefined) ?? token;
  return new DecodeError(file, 0, `dataset ${dataset} needs HDF5 filter ${id ?? '?'} (${name}), which h5wasm cannot decode`, {
    cause: error,
  });
}
