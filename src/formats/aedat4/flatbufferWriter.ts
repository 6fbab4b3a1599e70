import { EVENT_SIZE, TRIGGER_SIZE } from './layout.ts';

/**
 * The few flatbuffers the encoder writes, laid out by hand (what `flatc` would emit, with every field present
 * so positions are fixed). Packets are size-prefixed; all int64s and struct vectors are 8-byte aligned
 * counting from the first byte (DV decompresses packets into aligned memory and its verifier checks this).
 */

/** Packet body offsets: size prefix, root offset, identifier, vtable, table, vector length, elements. */
const PACKET_ELEMENTS_AT = 32;

/**
 * Size-prefixed `EventPacket`/`TriggerPacket` with room for `count` 16-byte elements at PACKET_ELEMENTS_AT;
 * the caller fills the elements.
 */
export function packetBuffer(identifier: 'EVTS' | 'TRIG', count: number): { bytes: Uint8Array; view: DataView; elementsAt: number } {
  const elementSize = identifier === 'EVTS' ? EVENT_SIZE : TRIGGER_SIZE;
  const bytes = new Uint8Array(PACKET_ELEMENTS_AT + count * elementSize);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, bytes.length - 4, true); // size prefix
  view.setUint32(4, 20 - 4, true); // root offset: the table at 20
  writeAscii(bytes, 8, identifier);
  view.setUint16(12, 6, true); // vtable: 6 bytes
  view.setUint16(14, 8, true); // table: 8 bytes
  view.setUint16(16, 4, true); // field 0 (elements) at table + 4
  view.setInt32(20, 20 - 12, true); // table -> vtable
  view.setUint32(24, 28 - 24, true); // elements vector at 28
  view.setUint32(28, count, true);
  return { bytes, view, elementsAt: PACKET_ELEMENTS_AT };
}

/** Where the int64 dataTablePosition sits inside the IOHeader flatbuffer (for patching it later). */
export const IOHEADER_POSITION_AT = 32;

export function ioHeaderBuffer(compression: number, dataTablePosition: number, description: string): Uint8Array {
  const text = new TextEncoder().encode(description);
  const stringAt = 44;
  const length = align(stringAt + 4 + text.length + 1, 8);
  const bytes = new Uint8Array(length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 24, true); // root offset: table at 24
  writeAscii(bytes, 4, 'IOHE');
  view.setUint16(8, 10, true); // vtable: 10 bytes (3 fields)
  view.setUint16(10, 20, true); // table: 20 bytes
  view.setUint16(12, 4, true); // compression at table + 4
  view.setUint16(14, 8, true); // dataTablePosition at table + 8
  view.setUint16(16, 16, true); // description at table + 16
  view.setInt32(24, 24 - 8, true); // table -> vtable
  view.setInt32(28, compression, true);
  setInt64(view, IOHEADER_POSITION_AT, dataTablePosition);
  view.setUint32(40, stringAt - 40, true);
  view.setUint32(stringAt, text.length, true);
  bytes.set(text, stringAt + 4); // followed by the NUL terminator (already 0)
  return bytes;
}

export interface TableEntry {
  readonly byteOffset: number;
  readonly streamId: number;
  readonly size: number;
  readonly elements: number;
  readonly tStart: number;
  readonly tEnd: number;
}

/** Size-prefixed `FileDataTable` (identifier FTAB): one FileDataDefinition table per packet. */
export function dataTableBuffer(entries: readonly TableEntry[]): Uint8Array {
  const n = entries.length;
  const vectorAt = 28;
  const vtableAt = align(vectorAt + 4 + 4 * n, 2);
  const firstTable = align(vtableAt + 14, 8);
  const tableSize = 48;
  const bytes = new Uint8Array(firstTable + n * tableSize);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, bytes.length - 4, true);
  view.setUint32(4, 20 - 4, true);
  writeAscii(bytes, 8, 'FTAB');
  view.setUint16(12, 6, true);
  view.setUint16(14, 8, true);
  view.setUint16(16, 4, true);
  view.setInt32(20, 20 - 12, true);
  view.setUint32(24, vectorAt - 24, true);
  view.setUint32(vectorAt, n, true);
  // One vtable shared by every definition: ByteOffset, PacketInfo, NumElements, TimestampStart, TimestampEnd.
  const fields = [8, 16, 24, 32, 40];
  view.setUint16(vtableAt, 4 + 2 * fields.length, true);
  view.setUint16(vtableAt + 2, tableSize, true);
  fields.forEach((f, i) => view.setUint16(vtableAt + 4 + 2 * i, f, true));
  entries.forEach((e, i) => {
    const slot = vectorAt + 4 + 4 * i;
    const table = firstTable + i * tableSize;
    view.setUint32(slot, table - slot, true);
    view.setInt32(table, table - vtableAt, true);
    setInt64(view, table + 8, e.byteOffset);
    view.setInt32(table + 16, e.streamId, true);
    view.setInt32(table + 20, e.size, true);
    setInt64(view, table + 24, e.elements);
    setInt64(view, table + 32, e.tStart);
    setInt64(view, table + 40, e.tEnd);
  });
  return bytes;
}

/** Writes an integer-valued double (|v| < 2^53) as int64 LE. */
export function setInt64(view: DataView, at: number, v: number): void {
  const high = Math.floor(v / 4294967296);
  view.setUint32(at, v - high * 4294967296, true);
  view.setInt32(at + 4, high, true);
}

function writeAscii(bytes: Uint8Array, at: number, s: string): void {
  for (let i = 0; i < s.length; i++) bytes[at + i] = s.charCodeAt(i);
}

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}
