/** The 28-byte cAER / libcaer event packet header of AEDAT 3.x (all fields little-endian). */
export interface PacketHeader {
  readonly eventType: number;
  readonly eventSource: number;
  readonly eventSize: number;
  readonly eventTSOffset: number;
  readonly eventTSOverflow: number;
  readonly eventCapacity: number;
  readonly eventNumber: number;
  readonly eventValid: number;
}

export const PACKET_HEADER_SIZE = 28;
export const POLARITY_EVENT = 1;
export const POLARITY_EVENT_SIZE = 8;

/** libcaer event type numbers, for naming what was skipped. */
const TYPE_NAMES = ['special', 'polarity', 'frame', 'imu6', 'imu9', 'sample', 'ear', 'config', 'point1d', 'point2d', 'point3d', 'point4d', 'spike', 'matrix4x4'];

export function eventTypeName(type: number): string {
  return TYPE_NAMES[type] ?? `type${type}`;
}

export function readPacketHeader(b: Uint8Array): PacketHeader {
  const v = new DataView(b.buffer, b.byteOffset, PACKET_HEADER_SIZE);
  return {
    eventType: v.getInt16(0, true),
    eventSource: v.getInt16(2, true),
    eventSize: v.getInt32(4, true),
    eventTSOffset: v.getInt32(8, true),
    eventTSOverflow: v.getInt32(12, true),
    eventCapacity: v.getInt32(16, true),
    eventNumber: v.getInt32(20, true),
    eventValid: v.getInt32(24, true),
  };
}

export function writePacketHeader(h: PacketHeader): Uint8Array {
  const b = new Uint8Array(PACKET_HEADER_SIZE);
  const v = new DataView(b.buffer);
  v.setInt16(0, h.eventType, true);
  v.setInt16(2, h.eventSource, true);
  v.setInt32(4, h.eventSize, true);
  v.setInt32(8, h.eventTSOffset, true);
  v.setInt32(12, h.eventTSOverflow, true);
  v.setInt32(16, h.eventCapacity, true);
  v.setInt32(20, h.eventNumber, true);
  v.setInt32(24, h.eventValid, true);
  return b;
}

/** What is wrong with a header, or undefined when it is usable. */
export function checkPacketHeader(h: PacketHeader): string | undefined {
  if (h.eventType < 0) return `event type ${h.eventType}`;
  if (h.eventSize < 1) return `event size ${h.eventSize}`;
  if (h.eventCapacity < 0 || h.eventNumber < 0 || h.eventNumber > h.eventCapacity) {
    return `event number ${h.eventNumber} / capacity ${h.eventCapacity}`;
  }
  if (h.eventValid < 0 || h.eventValid > h.eventNumber) return `valid events ${h.eventValid} of ${h.eventNumber}`;
  if (h.eventTSOverflow < 0) return `time-stamp overflow ${h.eventTSOverflow}`;
  if (h.eventType === POLARITY_EVENT && (h.eventSize !== POLARITY_EVENT_SIZE || h.eventTSOffset !== 4)) {
    return `polarity events of size ${h.eventSize} with the time stamp at ${h.eventTSOffset} (expected 8 and 4)`;
  }
  return undefined;
}
