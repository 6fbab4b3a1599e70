import { open } from 'node:fs/promises';
import type { Geometry } from '../../events/geometry.ts';
import { OVERFLOW_Y, RECORD_BYTES } from './layout.ts';

/**
 * Geometry of an N-MNIST-layout file from its largest x and y (max + 1), for N-Caltech101 and other
 * recordings whose size is not 34×34. Reads the whole file once; only used when the user asks for it,
 * because a short recording may not touch the sensor's last row or column.
 */
export async function inferNmnistGeometry(path: string): Promise<Geometry> {
  const handle = await open(path, 'r');
  let maxX = 0;
  let maxY = 0;
  try {
    const buffer = new Uint8Array(RECORD_BYTES * 65536);
    let filled = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null);
      const end = filled + bytesRead;
      const whole = end - (end % RECORD_BYTES);
      for (let o = 0; o < whole; o += RECORD_BYTES) {
        const y = buffer[o + 1]!;
        if (y === OVERFLOW_Y) continue;
        if (buffer[o]! > maxX) maxX = buffer[o]!;
        if (y > maxY) maxY = y;
      }
      buffer.copyWithin(0, whole, end);
      filled = end - whole;
      if (bytesRead === 0) break;
    }
  } finally {
    await handle.close();
  }
  return { width: maxX + 1, height: maxY + 1 };
}
