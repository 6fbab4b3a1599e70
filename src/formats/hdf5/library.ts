import h5wasm from 'h5wasm/node';

/** h5wasm and its Emscripten module, loaded once (the WASM instantiation is asynchronous). */
export async function loadH5(): Promise<{ h5: typeof h5wasm; module: Awaited<typeof h5wasm.ready> }> {
  const module = await h5wasm.ready;
  return { h5: h5wasm, module };
}

/** HDF5's file signature; it sits at byte 0 or after a user block of 512 × 2^k bytes. */
export const HDF5_SIGNATURE = Uint8Array.of(0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a);

export function hasHdf5Signature(bytes: Uint8Array, at = 0): boolean {
  if (bytes.length < at + 8) return false;
  return HDF5_SIGNATURE.every((b, i) => bytes[at + i] === b);
}
