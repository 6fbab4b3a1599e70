/** Event Stream 2.x layout (neuromorphic-paris/event_stream README, the specification). */
export const MAGIC = new TextEncoder().encode('Event Stream');
/** Magic, version major/minor/patch, stream type. */
export const PREFIX_BYTES = 16;
/** DVS, ATIS and color headers add uint16 LE width and height. */
export const GEOMETRY_HEADER_BYTES = 20;
export const STREAM_TYPES = ['generic', 'dvs', 'atis', 'amd', 'color'] as const;
export type StreamType = (typeof STREAM_TYPES)[number];
export const TYPE_GENERIC = 0;
export const TYPE_DVS = 1;
export const TYPE_ATIS = 2;

/** DVS: 0xFF adds 127 µs, 0xFE resets the state machine (a no-op in the idle state). */
export const DVS_OVERFLOW = 0xff;
export const DVS_RESET = 0xfe;
export const DVS_OVERFLOW_US = 127;
/** ATIS: bytes 0b111111xx are overflows adding xx × 63 µs; xx = 0 is the reset byte. */
export const ATIS_OVERFLOW_US = 63;
/** Generic: 0xFF adds 254 µs, 0xFE is reset. */
export const GENERIC_OVERFLOW_US = 254;
/** Byte 0 plus uint16 x and uint16 y. */
export const EVENT_BYTES = 5;

export function hasMagic(head: Uint8Array): boolean {
  if (head.length < MAGIC.length) return false;
  for (let i = 0; i < MAGIC.length; i++) if (head[i] !== MAGIC[i]) return false;
  return true;
}
