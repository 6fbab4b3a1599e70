import { ConfigError } from '../../errors.ts';
import type { EventBatch } from '../../events/eventBatch.ts';
import { checkGeometry } from '../../events/geometry.ts';
import { concatBytes } from '../concatBytes.ts';
import type { EncoderOptions, EventEncoder } from '../types.ts';
import { checkPolarityEvents, type TimeRange } from './checkPolarityEvents.ts';
import { PACKET_HEADER_SIZE, POLARITY_EVENT, POLARITY_EVENT_SIZE, writePacketHeader } from './packetHeader.ts';
import { sourceNameFor } from './sources.ts';

export interface Aedat3EncoderOptions extends EncoderOptions {
  /** Events per polarity packet (default 8192). */
  readonly eventsPerPacket?: number;
}

const TS_OVERFLOW = 2147483648;
const MAX_COORDINATE = 32768; // 15-bit x and y
/** AEDAT 3.1 time stamps: int32 plus a 31-bit overflow count, so any non-negative safe integer. */
const TIME_RANGE: TimeRange = { min: 0, allowed: 'an integer number of µs in 0..2^53' };

/**
 * Writes AEDAT 3.1: header lines, then polarity packets. A packet never spans two values of
 * `floor(t / 2^31)`, its tsOverflow; the event stores `t - tsOverflow * 2^31`. Triggers are not written
 * (AEDAT 3.1 special events are not produced by this encoder).
 */
export class Aedat3Encoder implements EventEncoder {
  private readonly perPacket: number;
  private lastT = -Infinity;

  constructor(private readonly options: Aedat3EncoderOptions) {
    checkGeometry(options.width, options.height, 'aedat3');
    if (options.width > MAX_COORDINATE || options.height > MAX_COORDINATE) {
      throw new ConfigError('aedat3.geometry', `${options.width}x${options.height}`, 'at most 32768x32768 (15-bit x/y)');
    }
    this.perPacket = options.eventsPerPacket ?? 8192;
    if (!Number.isInteger(this.perPacket) || this.perPacket < 1) {
      throw new ConfigError('aedat3.eventsPerPacket', this.perPacket, 'an integer >= 1');
    }
  }

  header(): Uint8Array {
    const { width, height } = this.options;
    const lines = [
      '#!AER-DAT3.1',
      '#Format: RAW',
      `#Source 1: ${sourceNameFor(width, height)}`,
      `#Geometry: ${width}x${height}`,
      `#Start-Time: ${new Date().toISOString()}`,
      '#!END-HEADER',
    ];
    return new TextEncoder().encode(lines.map((l) => `${l}\r\n`).join(''));
  }

  encode(batch: EventBatch): Uint8Array {
    this.lastT = checkPolarityEvents(batch, this.options, this.lastT, TIME_RANGE);
    const { t, x, y, p } = batch;
    const parts: Uint8Array[] = [];
    let start = 0;
    while (start < batch.length) {
      const overflow = Math.floor(t[start]! / TS_OVERFLOW);
      const limit = Math.min(batch.length, start + this.perPacket);
      let end = start + 1;
      while (end < limit && Math.floor(t[end]! / TS_OVERFLOW) === overflow) end++;
      const n = end - start;
      const bytes = new Uint8Array(PACKET_HEADER_SIZE + n * POLARITY_EVENT_SIZE);
      bytes.set(
        writePacketHeader({
          eventType: POLARITY_EVENT,
          eventSource: 1,
          eventSize: POLARITY_EVENT_SIZE,
          eventTSOffset: 4,
          eventTSOverflow: overflow,
          eventCapacity: n,
          eventNumber: n,
          eventValid: n,
        }),
      );
      const view = new DataView(bytes.buffer);
      const base = overflow * TS_OVERFLOW;
      for (let i = start, o = PACKET_HEADER_SIZE; i < end; i++, o += 8) {
        view.setUint32(o, ((x[i]! << 17) | (y[i]! << 2) | ((p[i]! ? 1 : 0) << 1) | 1) >>> 0, true);
        view.setInt32(o + 4, t[i]! - base, true);
      }
      parts.push(bytes);
      start = end;
    }
    return concatBytes(parts);
  }

  end(): Uint8Array {
    return new Uint8Array(0);
  }
}
