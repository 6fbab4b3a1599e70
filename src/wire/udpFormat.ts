import { ConfigError } from '../errors.ts';
import type { EventBatch } from '../events/eventBatch.ts';
import type { EventBatchBuilder } from '../events/eventBatchBuilder.ts';
import { assertLittleEndianHost } from './endianness.ts';
import { T64_BYTES_PER_EVENT, findBadT64Time, readT64Records, writeT64Records } from './faeryT64.ts';
import {
  SPIF_MAX_COORDINATE,
  findBadSpifCoordinate,
  newSpifReadState,
  readSpifWords,
  spifBytesPerEvent,
  writeSpifWords,
} from './spif.ts';

/**
 * The UDP event layouts spikeflow speaks (see faeryT64.ts and spif.ts for the bit layouts). A batch is cut
 * into datagrams of whole events, each at most `maxPayload` bytes (1472 = a 1500-byte Ethernet MTU minus the
 * IPv4 and UDP headers, so no datagram is fragmented).
 */
export const udpFormatNames = ['t64_x16_y16_on8', 'spif'] as const;
export type UdpFormatName = (typeof udpFormatNames)[number];

export const DEFAULT_MAX_PAYLOAD = 1472;
/** The largest UDP payload over IPv4. */
export const MAX_UDP_PAYLOAD = 65507;

assertLittleEndianHost();

export interface UdpLayout {
  readonly format: UdpFormatName;
  /** spif only: send a 32-bit timestamp word after each event word. */
  readonly timestamps: boolean;
}

export function bytesPerEvent(layout: UdpLayout): number {
  return layout.format === 'spif' ? spifBytesPerEvent(layout.timestamps) : T64_BYTES_PER_EVENT;
}

/** One datagram's bytes (a view into a buffer shared by the batch) and how many events it holds. */
export interface Datagram {
  readonly bytes: Uint8Array;
  readonly events: number;
}

/**
 * Encodes a batch as datagrams. Throws a ConfigError naming the event for values the layout cannot carry
 * (spif: x or y above 32767; t64: t negative, fractional or above 2^53).
 */
export function encodeDatagrams(batch: EventBatch, layout: UdpLayout, maxPayload: number, parameter: string): Datagram[] {
  const size = bytesPerEvent(layout);
  const perDatagram = Math.floor(maxPayload / size);
  if (perDatagram < 1) throw new ConfigError(`${parameter}.maxPayload`, maxPayload, `at least ${size} bytes`);
  const n = batch.length;
  if (n === 0) return [];
  const bytes = new Uint8Array(n * size);
  if (layout.format === 'spif') {
    const bad = findBadSpifCoordinate(batch, 0, n);
    if (bad >= 0) {
      const which = batch.x[bad] > SPIF_MAX_COORDINATE ? 'x' : 'y';
      throw new ConfigError(`${parameter}: event ${bad} ${which}`, batch[which][bad], `0..${SPIF_MAX_COORDINATE} for spif`);
    }
    writeSpifWords(batch, 0, n, layout.timestamps, new Uint32Array(bytes.buffer), 0);
  } else {
    const bad = findBadT64Time(batch.t, 0, n);
    if (bad >= 0) {
      throw new ConfigError(`${parameter}: event ${bad} t`, batch.t[bad], `an integer in 0..2^53 µs for t64_x16_y16_on8`);
    }
    writeT64Records(batch, 0, n, bytes, 0);
  }
  const datagrams: Datagram[] = [];
  for (let start = 0; start < n; start += perDatagram) {
    const events = Math.min(perDatagram, n - start);
    datagrams.push({ bytes: bytes.subarray(start * size, (start + events) * size), events });
  }
  return datagrams;
}

/**
 * A stateful datagram reader for one stream: appends the events of each datagram to a builder and returns the
 * count, or -1 for a malformed datagram (nothing appended). `arrivalTime` (µs) stamps spif events sent
 * without timestamps.
 */
export type DatagramReader = (datagram: Uint8Array, builder: EventBatchBuilder, arrivalTime: number) => number;

export function createDatagramReader(format: UdpFormatName): DatagramReader {
  if (format === 'spif') {
    const state = newSpifReadState();
    return function readSpifDatagram(datagram, builder, arrivalTime) {
      state.arrivalTime = arrivalTime;
      return readSpifWords(datagram, state, builder);
    };
  }
  return function readT64Datagram(datagram, builder) {
    return readT64Records(datagram, builder);
  };
}
