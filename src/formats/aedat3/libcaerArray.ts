import type { EventBatch } from '../../events/eventBatch.ts';
import { EventBatchBuilder } from '../../events/eventBatchBuilder.ts';
import { checkGeometry } from '../../events/geometry.ts';
import { DecodeError } from '../../errors.ts';

const WRAP = 2147483648; // libcaer time stamps are 31-bit µs

/**
 * A bare libcaer polarity-event array (8 bytes per event, no headers), as carried by event_camera_msgs
 * `EventPacket` messages with encoding "libcaer". As in event_camera_codecs, time = `timeBaseUs + ts`, and
 * `2^31 µs` is added each time ts decreases within the array (the 31-bit counter wrapped).
 */
export function decodeLibcaerArray(
  bytes: Uint8Array,
  geometry: { width: number; height: number },
  timeBaseUs = 0,
  file = 'libcaer array',
): EventBatch {
  const { width, height } = checkGeometry(geometry.width, geometry.height);
  if (bytes.length % 8 !== 0) throw new DecodeError(file, bytes.length - (bytes.length % 8), 'libcaer array length is not a multiple of 8');
  const n = bytes.length / 8;
  const builder = new EventBatchBuilder(Math.max(1, n));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let wrap = 0;
  let lastTs = -1;
  for (let i = 0; i < n; i++) {
    const data = view.getUint32(i * 8, true);
    const ts = view.getInt32(i * 8 + 4, true);
    if ((data & 1) === 0) continue;
    if (ts < lastTs) wrap += WRAP;
    lastTs = ts;
    const x = data >>> 17;
    const y = (data >>> 2) & 0x7fff;
    if (x >= width || y >= height) throw new DecodeError(file, i * 8, `event at x=${x}, y=${y} outside ${width}x${height}`);
    builder.push(timeBaseUs + wrap + ts, x, y, (data >>> 1) & 1);
  }
  return builder.take({ width, height });
}
