/** AEDAT 4.0 constants (iniVation DV; see ../shared/recordings/FORMATS.md). */
export const MAGIC = '#!AER-DAT4.0\r\n';
export const MAGIC_BYTES = new TextEncoder().encode(MAGIC);

/** IOHeader.compression values. */
export const Compression = { None: 0, Lz4: 1, Lz4High: 2, Zstd: 3, ZstdHigh: 4 } as const;
export const COMPRESSION_NAMES = ['NONE', 'LZ4', 'LZ4_HIGH', 'ZSTD', 'ZSTD_HIGH'] as const;

/** IOHeader table fields. */
export const IOHEADER_COMPRESSION = 0;
export const IOHEADER_DATA_TABLE_POSITION = 1;
export const IOHEADER_DESCRIPTION = 2;

/** Every DV packet table has its `elements` vector as field 0. */
export const PACKET_ELEMENTS = 0;

/** `struct Event { int64 t; int16 x; int16 y; bool on; }` padded to 16 bytes. */
export const EVENT_SIZE = 16;
/** `struct Trigger { int64 timestamp; TriggerType(int8) type; }` padded to 16 bytes. */
export const TRIGGER_SIZE = 16;

/**
 * DV TriggerType values. A trigger becomes TriggerBatch `id` = the type, `value` = 0 for falling edges and
 * ends (2, 5, 7, 9), 1 for everything else (rising edges, pulses, starts, timestamp resets).
 */
export function triggerValue(type: number): number {
  return type === 2 || type === 5 || type === 7 || type === 9 ? 0 : 1;
}
