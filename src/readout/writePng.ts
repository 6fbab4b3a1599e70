import { rename } from 'node:fs/promises';
import sharp from 'sharp';

/**
 * Writes an RGB image as PNG. The file appears under its name only when complete (written to a temporary name,
 * then renamed), so a reader never sees half a PNG.
 */
export async function writePng(path: string, rgb: Uint8Array, width: number, height: number): Promise<void> {
  const partial = `${path}.partial`;
  await sharp(rgb, { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 6 })
    .toFile(partial);
  await rename(partial, path);
}
