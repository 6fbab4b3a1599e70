import { PendingBytes } from '../../codecs/pendingBytes.ts';
import { DecodeError } from '../../errors.ts';
import { emptyBatch, type EventBatch } from '../../events/eventBatch.ts';
import { EventBatchBuilder } from '../../events/eventBatchBuilder.ts';
import type { Geometry } from '../../events/geometry.ts';
import { checkHeaderGeometry, checkHeaderPrefix, consumeHeader, geometryLine, HashHeader, headerKeyValues } from '../aedat2/hashHeader.ts';
import { EventsBeforeFailure } from '../eventsBeforeFailure.ts';
import type { DecodeStats, DecoderOptions, EventDecoder } from '../types.ts';
import {
  checkPacketHeader,
  eventTypeName,
  PACKET_HEADER_SIZE,
  POLARITY_EVENT,
  POLARITY_EVENT_SIZE,
  readPacketHeader,
} from './packetHeader.ts';
import { readPolarityEvents, type PolarityState } from './polarityEvents.ts';
import { sourceGeometry } from './sources.ts';

const PREFIX = '#!AER-DAT3';
const TS_OVERFLOW = 2147483648; // 2^31: full time = (tsOverflow << 31) + ts

/**
 * Incremental cAER AEDAT 3.x decoder: header lines up to `#!END-HEADER`, then packets of a 28-byte header
 * and `eventCapacity * eventSize` bytes. Polarity packets (type 1) become events (the first `eventNumber`
 * slots; invalid events skipped); every other packet type is skipped and counted by name in stats.skipped.
 */
export class Aedat3Decoder implements EventDecoder {
  readonly stats: DecodeStats = { triggers: 0, skipped: {}, header: {} };
  geometry: Geometry | undefined;
  private readonly header = new HashHeader((line) => line.trim() === '#!END-HEADER', false);
  private readonly input = new PendingBytes();
  private readonly builder = new EventBatchBuilder();
  private readonly polarity: PolarityState = { lastT: -Infinity, invalid: 0 };
  private ready = false;
  private inPacket = false;
  private packetOffset = 0;
  private eventsLeft = 0;
  private bytesToSkip = 0;
  private timeBase = 0;

  constructor(private readonly options: DecoderOptions) {}

  /** A DecodeError met after some events of a chunk: those events are returned first, the error next call. */
  private readonly failure = new EventsBeforeFailure();

  push(chunk: Uint8Array): EventBatch {
    return this.failure.run({
      decode: () => this.decodeChunk(chunk),
      holdsEvents: () => this.builder.length > 0,
      take: () => this.take(),
    });
  }

  private decodeChunk(chunk: Uint8Array): EventBatch {
    let pos = 0;
    if (!this.ready) {
      checkHeaderPrefix(this.header, chunk, PREFIX, this.options.file, 'AEDAT 3');
      pos = consumeHeader(this.header, chunk, this.options.file);
      if (!this.header.done) return this.take();
      this.finishHeader();
    }
    const input = this.input;
    input.feed(pos === 0 ? chunk : chunk.subarray(pos));
    for (;;) {
      if (!this.inPacket) {
        const at = input.offset;
        const unit = input.take(PACKET_HEADER_SIZE);
        if (!unit) break;
        this.startPacket(unit, at);
      } else if (this.eventsLeft > 0) {
        const at = input.offset;
        let events: Uint8Array | undefined;
        if (input.held > 0 || input.available < POLARITY_EVENT_SIZE) events = input.take(POLARITY_EVENT_SIZE);
        else events = input.takeAvailable(Math.min(this.eventsLeft, input.available >>> 3) * POLARITY_EVENT_SIZE);
        if (!events) break;
        const { width, height } = this.geometry!;
        readPolarityEvents(events, this.timeBase, width, height, this.builder, this.polarity, this.options.file, at);
        this.eventsLeft -= events.length >>> 3;
      } else if (this.bytesToSkip > 0) {
        const skipped = input.skip(this.bytesToSkip);
        this.bytesToSkip -= skipped;
        if (skipped === 0) break;
      } else {
        this.inPacket = false;
      }
    }
    return this.take();
  }

  end(): EventBatch {
    this.failure.throwIfFailed();
    const file = this.options.file;
    if (!this.ready) {
      if (this.header.length === 0) throw new DecodeError(file, 0, 'the file is empty');
      throw new DecodeError(file, this.header.length, 'file ends inside the header (no #!END-HEADER line)');
    }
    if (this.input.held > 0 || (this.inPacket && (this.eventsLeft > 0 || this.bytesToSkip > 0))) {
      const what = this.inPacket ? `the packet that starts at byte ${this.packetOffset}` : 'a packet header';
      throw new DecodeError(file, this.input.offset, `file ends inside ${what} (truncated)`);
    }
    return this.take();
  }

  private take(): EventBatch {
    if (this.polarity.invalid) this.stats.skipped['invalid polarity'] = this.polarity.invalid;
    if (this.builder.length === 0) return emptyBatch(this.geometry ?? { width: 1, height: 1 });
    return this.builder.take(this.geometry!);
  }

  private startPacket(unit: Uint8Array, at: number): void {
    const h = readPacketHeader(unit);
    const problem = checkPacketHeader(h);
    if (problem) throw new DecodeError(this.options.file, at, `bad AEDAT 3 packet header: ${problem}`);
    this.inPacket = true;
    this.packetOffset = at;
    if (h.eventType === POLARITY_EVENT) {
      this.eventsLeft = h.eventNumber;
      this.bytesToSkip = (h.eventCapacity - h.eventNumber) * h.eventSize;
      this.timeBase = h.eventTSOverflow * TS_OVERFLOW;
    } else {
      this.eventsLeft = 0;
      this.bytesToSkip = h.eventCapacity * h.eventSize;
      const name = eventTypeName(h.eventType);
      this.stats.skipped[name] = (this.stats.skipped[name] ?? 0) + h.eventNumber;
    }
  }

  private finishHeader(): void {
    const file = this.options.file;
    const lines = this.header.lines;
    const header = this.stats.header;
    Object.assign(header, headerKeyValues(lines.slice(1)));
    header.version = /^#!AER-DAT(\d+\.\d+)/.exec(lines[0] ?? '')?.[1] ?? '?';
    if (header.version !== '3.1') {
      // Only 3.1 files were checked against a reference; 3.0 packs polarity events differently in jAER.
      throw new DecodeError(file, 0, `AEDAT ${header.version} is not supported (only AEDAT 3.1)`);
    }
    const fromHeader = geometryLine(lines) ?? sourceGeometry(lines);
    const width = this.options.width ?? fromHeader?.width;
    const height = this.options.height ?? fromHeader?.height;
    if (width === undefined || height === undefined) {
      throw new DecodeError(file, this.header.length, 'the header names no known camera (#Source line): pass width and height');
    }
    this.geometry = checkHeaderGeometry(width, height, this.header, file);
    this.input.offset = this.header.length;
    this.ready = true;
  }
}
