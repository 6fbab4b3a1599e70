import { ConfigError } from '../../errors.ts';
import type { EventBatch, TriggerBatch } from '../../events/eventBatch.ts';
import { checkGeometry } from '../../events/geometry.ts';
import { concatBytes } from '../concatBytes.ts';
import type { EncoderOptions, EventEncoder } from '../types.ts';
import { checkPolarityEvents, type TimeRange } from '../aedat3/checkPolarityEvents.ts';
import { buildDescription } from './description.ts';
import {
  dataTableBuffer,
  IOHEADER_POSITION_AT,
  ioHeaderBuffer,
  packetBuffer,
  setInt64,
  type TableEntry,
} from './flatbufferWriter.ts';
import { Compression, COMPRESSION_NAMES, EVENT_SIZE, MAGIC_BYTES, TRIGGER_SIZE } from './layout.ts';
import { PacketCodec } from './packetCodec.ts';

export interface Aedat4EncoderOptions extends EncoderOptions {
  /** Packet compression (default 'lz4'; 'zstd' stores raw zstd blocks, i.e. valid but uncompressed). */
  readonly compression?: 'none' | 'lz4' | 'zstd';
  /** Events per EVTS packet (default 8192; DV writes a few thousand). */
  readonly eventsPerPacket?: number;
  /**
   * Append the data table in `end()`. Its position belongs in the header, which was written first, so a
   * caller that enables this must write `headerPatch()` over the header afterwards (writeAedat4File does).
   * Without it the header says -1 ("no table"), which DV readers handle by scanning the packets.
   */
  readonly dataTable?: boolean;
}

const EVENT_STREAM = 0;
const TRIGGER_STREAM = 1;
const CODES = { none: Compression.None, lz4: Compression.Lz4, zstd: Compression.Zstd } as const;
/** AEDAT 4.0 time stamps are int64: any safe integer. */
const TIME_RANGE: TimeRange = { min: -Infinity, allowed: 'an integer number of µs below 2^53' };

/** Writes AEDAT 4.0: magic, IOHeader + description, EVTS/TRIG packets, optionally the data table. */
export class Aedat4Encoder implements EventEncoder {
  private readonly codec: PacketCodec;
  private readonly perPacket: number;
  private readonly table: TableEntry[] = [];
  private offset = 0;
  private lastT = -Infinity;
  private tablePosition = -1;

  constructor(private readonly options: Aedat4EncoderOptions) {
    checkGeometry(options.width, options.height, 'aedat4');
    if (options.width > 32767 || options.height > 32767) {
      throw new ConfigError('aedat4.geometry', `${options.width}x${options.height}`, 'at most 32767x32767 (int16 x/y)');
    }
    const name = options.compression ?? 'lz4';
    if (!(name in CODES)) throw new ConfigError('aedat4.compression', name, "'none', 'lz4' or 'zstd'");
    this.codec = new PacketCodec(CODES[name]);
    this.perPacket = options.eventsPerPacket ?? 8192;
    if (!Number.isInteger(this.perPacket) || this.perPacket < 1) {
      throw new ConfigError('aedat4.eventsPerPacket', this.perPacket, 'an integer >= 1');
    }
  }

  header(): Uint8Array {
    const { width, height, source } = this.options;
    const compressionName = COMPRESSION_NAMES[this.codec.compression]!;
    const description = buildDescription(
      [
        { id: EVENT_STREAM, type: 'EVTS', name: 'events', description: 'Array of events (polarity ON/OFF).' },
        { id: TRIGGER_STREAM, type: 'TRIG', name: 'triggers', description: 'External triggers and special signals.' },
      ],
      compressionName,
      width,
      height,
      source ?? 'spikeflow',
    );
    const flat = ioHeaderBuffer(this.codec.compression, -1, description);
    const out = new Uint8Array(MAGIC_BYTES.length + 4 + flat.length);
    out.set(MAGIC_BYTES);
    new DataView(out.buffer).setUint32(MAGIC_BYTES.length, flat.length, true);
    out.set(flat, MAGIC_BYTES.length + 4);
    this.offset = out.length;
    return out;
  }

  encode(batch: EventBatch): Uint8Array {
    this.lastT = checkPolarityEvents(batch, this.options, this.lastT, TIME_RANGE);
    const parts: Uint8Array[] = [];
    for (let start = 0; start < batch.length; start += this.perPacket) {
      parts.push(this.eventPacket(batch, start, Math.min(batch.length, start + this.perPacket)));
    }
    if (batch.triggers && batch.triggers.length > 0) parts.push(this.triggerPacket(batch.triggers));
    return concatBytes(parts);
  }

  end(): Uint8Array {
    if (!this.options.dataTable) return new Uint8Array(0);
    this.tablePosition = this.offset;
    return this.codec.compress(dataTableBuffer(this.table));
  }

  /** After `end()` with `dataTable`: the bytes to write at `offset` so the header points at the table. */
  headerPatch(): { offset: number; bytes: Uint8Array } {
    const bytes = new Uint8Array(8);
    setInt64(new DataView(bytes.buffer), 0, this.tablePosition);
    return { offset: MAGIC_BYTES.length + 4 + IOHEADER_POSITION_AT, bytes };
  }

  private eventPacket(batch: EventBatch, start: number, end: number): Uint8Array {
    const count = end - start;
    const { bytes, elementsAt } = packetBuffer('EVTS', count);
    // Whole int32 words: elementsAt is 8-aligned in a fresh buffer (little-endian, like the decoder).
    const w = new Int32Array(bytes.buffer, elementsAt, count * (EVENT_SIZE / 4));
    const { t, x, y, p } = batch;
    for (let i = start, k = 0; i < end; i++, k += 4) {
      const ti = t[i]!;
      const high = Math.floor(ti / 4294967296);
      w[k] = ti - high * 4294967296;
      w[k + 1] = high;
      w[k + 2] = x[i]! | (y[i]! << 16);
      w[k + 3] = p[i]! ? 1 : 0;
    }
    return this.packet(EVENT_STREAM, bytes, count, t[start]!, t[end - 1]!);
  }

  private triggerPacket(triggers: TriggerBatch): Uint8Array {
    const n = triggers.length;
    const { bytes, view, elementsAt } = packetBuffer('TRIG', n);
    for (let i = 0; i < n; i++) {
      const at = elementsAt + i * TRIGGER_SIZE;
      setInt64(view, at, triggers.t[i]!);
      if (triggers.id[i]! > 127) throw new ConfigError('trigger.id', triggers.id[i], 'a DV TriggerType 0..127');
      view.setInt8(at + 8, triggers.id[i]!);
    }
    return this.packet(TRIGGER_STREAM, bytes, n, triggers.t[0]!, triggers.t[n - 1]!);
  }

  private packet(stream: number, body: Uint8Array, elements: number, tStart: number, tEnd: number): Uint8Array {
    const data = this.codec.compress(body);
    const out = new Uint8Array(8 + data.length);
    const view = new DataView(out.buffer);
    view.setUint32(0, stream, true);
    view.setUint32(4, data.length, true);
    out.set(data, 8);
    this.table.push({ byteOffset: this.offset + 8, streamId: stream, size: data.length, elements, tStart, tEnd });
    this.offset += out.length;
    return out;
  }
}
