import { DecodeError } from '../errors.ts';
import type { Frame } from '../video/frame.ts';

/**
 * A camera frame sent by the live page to `ws://HOST:PORT/stream` (binary message, little-endian):
 *
 *   offset size  field
 *    0     4     magic "SFRM"
 *    4     1     version = 1
 *    5     3     reserved, 0
 *    8     2     width  (of the luma plane that follows: the page's downscaled size)
 *   10     2     height
 *   12     2     camera width  (the size the camera delivers; boxes are reported in this pixel space)
 *   14     2     camera height
 *   16     4     frame id (echoed in the detections for this frame, so the page can measure latency)
 *   20     4     reserved, 0
 *   24     8     capture time, f64 µs on the page's clock
 *   32     w×h   luma, row-major, 0..255
 *
 * `src/serve/page/app.js` writes this layout; keep the two in step.
 */
export const CAMERA_FRAME_MAGIC = 0x4d524653; // "SFRM" read as a little-endian u32
export const CAMERA_FRAME_HEADER_BYTES = 32;

export interface CameraFrame extends Frame {
  readonly cameraWidth: number;
  readonly cameraHeight: number;
  readonly frameId: number;
}

export function decodeCameraFrame(bytes: Uint8Array, source = 'camera frame'): CameraFrame {
  if (bytes.byteLength < CAMERA_FRAME_HEADER_BYTES) {
    throw new DecodeError(source, bytes.byteLength, `a ${CAMERA_FRAME_HEADER_BYTES}-byte camera frame header`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== CAMERA_FRAME_MAGIC) throw new DecodeError(source, 0, 'the magic "SFRM"');
  if (bytes[4] !== 1) throw new DecodeError(source, 4, `camera frame version 1 (got ${bytes[4]})`);
  const width = view.getUint16(8, true);
  const height = view.getUint16(10, true);
  if (width === 0 || height === 0) throw new DecodeError(source, 8, `a non-empty frame (got ${width}×${height})`);
  const expected = CAMERA_FRAME_HEADER_BYTES + width * height;
  if (bytes.byteLength !== expected) {
    throw new DecodeError(source, bytes.byteLength, `${expected} bytes for a ${width}×${height} frame (got ${bytes.byteLength})`);
  }
  return {
    width,
    height,
    cameraWidth: view.getUint16(12, true) || width,
    cameraHeight: view.getUint16(14, true) || height,
    frameId: view.getUint32(16, true),
    t: view.getFloat64(24, true),
    // A copy: the socket's buffer is reused once this handler returns.
    data: bytes.slice(CAMERA_FRAME_HEADER_BYTES),
  };
}

/** Builds the message (used by tests and Node clients; the page has its own writer in app.js). */
export function encodeCameraFrame(frame: CameraFrame): Uint8Array {
  const out = new Uint8Array(CAMERA_FRAME_HEADER_BYTES + frame.width * frame.height);
  const view = new DataView(out.buffer);
  view.setUint32(0, CAMERA_FRAME_MAGIC, true);
  out[4] = 1;
  view.setUint16(8, frame.width, true);
  view.setUint16(10, frame.height, true);
  view.setUint16(12, frame.cameraWidth, true);
  view.setUint16(14, frame.cameraHeight, true);
  view.setUint32(16, frame.frameId, true);
  view.setFloat64(24, frame.t, true);
  out.set(frame.data.subarray(0, frame.width * frame.height), CAMERA_FRAME_HEADER_BYTES);
  return out;
}
