import type H5Wasm from 'h5wasm/node';

type H5 = typeof H5Wasm;
let loading: Promise<{ h5: H5; module: Awaited<H5['ready']> }> | undefined;

/**
 * h5wasm and its Emscripten module, loaded on first use only: importing it costs ~600 MB of peak RSS under
 * tsx (the loader transforms its multi-megabyte bundle), which must not be paid by every user of the format
 * registry — only by someone who reads or writes HDF5.
 */
export function loadH5(): Promise<{ h5: H5; module: Awaited<H5['ready']> }> {
  loading ??= import('h5wasm/node').then(async ({ default: h5 }) => {
    const module = await h5.ready;
    // libhdf5 errors become JS exceptions carrying libhdf5's message (by default they are printed to stderr
    // and the call goes on, e.g. returning uninitialised data for a dataset whose filter is missing).
    module.activate_throwing_error_handler();
    return { h5, module };
  });
  return loading;
}

/** HDF5's file signature; it sits at byte 0 or after a user block of 512 × 2^k bytes. */
export const HDF5_SIGNATURE = Uint8Array.of(0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a);

export function hasHdf5Signature(bytes: Uint8Array, at = 0): boolean {
  if (bytes.length < at + 8) return false;
  return HDF5_SIGNATURE.every((b, i) => bytes[at + i] === b);
}
