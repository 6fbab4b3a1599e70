import { CodecError } from '../../codecs/codecError.ts';
import { wasmByDefault } from '../../codecs/wasmKernels.ts';
import { PendingBytes } from '../../codecs/pendingBytes.ts';
import { DecodeError } from '../../errors.ts';
import { emptyBatch, type EventBatch } from '../../events/eventBatch.ts';
import { EventBatchBuilder } from '../../events/eventBatchBuilder.ts';
import { checkGeometry, type Geometry } from '../../events/geometry.ts';
import { EventsBeforeFailure } from '../eventsBeforeFailure.ts';
import type { DecodeStats, DecoderOptions, EventDecoder } from '../types.ts';
import { parseDescription, type StreamInfo } from './description.ts';
import { FlatTable } from './flatbufferReader.ts';
import {
  COMPRESSION_NAMES,
  EVENT_SIZE,
  IOHEADER_COMPRESSION,
  IOHEADER_DATA_TABLE_POSITION,
  IOHEADER_DESCRIPTION,
  MAGIC,
  MAGIC_BYTES,
  PACKET_ELEMENTS,
  TRIGGER_SIZE,
} from './layout.ts';
import { PacketCodec } from './packetCodec.ts';
import { BadElement, readEvents, readTriggers } from './packetElements.ts';
import { WasmEventCollector } from './wasmEventCollector.ts';

const enum State {
  Magic,
  HeaderLength,
  Header,
  PacketHeader,
  PacketBody,
  Done,
}

/** IOHeaders are a few KB; anything far larger is not an AEDAT 4 header. */
const MAX_HEADER = 64 << 20;
/** DV writes packets of at most a few MB; a larger length means a corrupt length field. */
const MAX_PACKET = 1 << 30;

export interface Aedat4DecoderTuning {
  /**
   * Run LZ4 and the event conversion in WebAssembly (default: yes, unless SPIKEFLOW_NO_WASM=1) or in pure
   * JavaScript. Both give identical events, batches and errors.
   */
  readonly wasm?: boolean;
}

/**
 * Incremental AEDAT 4.0 decoder: magic, IOHeader (compression, data table position, XML description), then
 * packets `uint32 stream id, uint32 length, bytes` up to the data table. The first EVTS stream gives the
 * events, TRIG streams the triggers; other streams are counted per packet in `stats.skipped[type]`.
 */
export class Aedat4Decoder implements EventDecoder {
  readonly stats: DecodeStats = { triggers: 0, skipped: {}, header: {} };
  geometry: Geometry | undefined;
  private readonly input = new PendingBytes();
  /** Triggers, and the events of the JS path. */
  private readonly builder: EventBatchBuilder;
  private state = State.Magic;
  private headerLength = 0;
  private codec = new PacketCodec(0);
  private dataTablePosition = -1;
  private streams = new Map<number, StreamInfo>();
  private eventStream = -1;
  private packetStream = 0;
  private packetLength = 0;
  private packetOffset = 0;
  private lastT = -Infinity;
  private readonly wasm: boolean;
  /** With WebAssembly: the events of the current push, until `take`. */
  private readonly collector: WasmEventCollector | undefined;

  constructor(
    private readonly options: DecoderOptions,
    tuning: Aedat4DecoderTuning = {},
  ) {
    this.wasm = tuning.wasm ?? wasmByDefault();
    this.collector = this.wasm ? new WasmEventCollector() : undefined;
    this.builder = new EventBatchBuilder(this.wasm ? 256 : undefined);
    if (options.width !== undefined && options.height !== undefined) {
      this.geometry = checkGeometry(options.width, options.height);
    }
  }

  /** A DecodeError met after some events of a chunk: those events are returned first, the error next call. */
  private readonly failure = new EventsBeforeFailure();

  push(chunk: Uint8Array): EventBatch {
    return this.failure.run({
      decode: () => this.decodeChunk(chunk),
      holdsEvents: () => this.holdsEvents(),
      take: () => this.take(),
      discard: () => this.collector?.discard(),
    });
  }

  private decodeChunk(chunk: Uint8Array): EventBatch {
    const input = this.input;
    input.feed(chunk);
    this.collector?.begin(chunk.length);
    for (;;) {
      if (this.state === State.Done) {
        input.skip(Infinity);
        break;
      }
      if (this.state === State.PacketHeader && input.offset === this.dataTablePosition) {
        this.state = State.Done;
        continue;
      }
      const unitOffset = input.offset;
      const unit = input.take(this.unitSize());
      if (!unit) break;
      this.handle(unit, unitOffset);
    }
    return this.take();
  }

  end(): EventBatch {
    this.failure.throwIfFailed();
    const file = this.options.file;
    const at = this.input.offset;
    if (this.state === State.Magic && this.input.held === 0) throw new DecodeError(file, 0, 'the file is empty');
    if (this.state === State.PacketHeader && this.input.held === 0) {
      if (this.dataTablePosition >= 0) {
        throw new DecodeError(file, at, `file ends before the data table at byte ${this.dataTablePosition} (truncated)`);
      }
    } else if (this.state !== State.Done) {
      throw new DecodeError(file, at, `file ends inside ${this.unitName()} (truncated)`);
    }
    return this.take();
  }

  private holdsEvents(): boolean {
    return this.builder.length > 0 || this.hasTriggers || (this.collector?.length ?? 0) > 0;
  }

  private take(): EventBatch {
    if (!this.holdsEvents()) return emptyBatch(this.geometry ?? { width: 1, height: 1 });
    const batch = this.collector ? this.collector.take(this.builder, this.geometry!, this.hasTriggers)! : this.builder.take(this.geometry!);
    this.hasTriggers = false;
    return batch;
  }
  private hasTriggers = false;

  private unitSize(): number {
    switch (this.state) {
      case State.Magic:
        return MAGIC_BYTES.length;
      case State.HeaderLength:
        return 4;
      case State.Header:
        return this.headerLength;
      case State.PacketHeader:
        return 8;
      default:
        return this.packetLength;
    }
  }

  private unitName(): string {
    return ['the magic', 'the header length', 'the IOHeader', 'a packet header', 'a packet', 'the data table'][this.state]!;
  }

  private handle(unit: Uint8Array, offset: number): void {
    const file = this.options.file;
    const view = new DataView(unit.buffer, unit.byteOffset, unit.byteLength);
    switch (this.state) {
      case State.Magic:
        for (let i = 0; i < MAGIC_BYTES.length; i++) {
          if (unit[i] !== MAGIC_BYTES[i]) throw new DecodeError(file, i, `not an AEDAT 4.0 file (expected ${JSON.stringify(MAGIC)})`);
        }
        this.state = State.HeaderLength;
        return;
      case State.HeaderLength:
        this.headerLength = view.getUint32(0, true);
        if (this.headerLength < 8 || this.headerLength > MAX_HEADER) {
          throw new DecodeError(file, offset, `IOHeader length ${this.headerLength} (expected 8..${MAX_HEADER})`);
        }
        this.state = State.Header;
        return;
      case State.Header:
        this.readHeader(unit, view, offset);
        this.state = State.PacketHeader;
        return;
      case State.PacketHeader: {
        this.packetStream = view.getUint32(0, true);
        this.packetLength = view.getUint32(4, true);
        this.packetOffset = offset;
        const end = offset + 8 + this.packetLength;
        if (!this.streams.has(this.packetStream)) {
          throw new DecodeError(file, offset, `packet for stream ${this.packetStream}, which the header does not declare`);
        }
        if (this.packetLength === 0 || this.packetLength > MAX_PACKET) {
          throw new DecodeError(file, offset + 4, `packet length ${this.packetLength} (expected 1..${MAX_PACKET})`);
        }
        if (this.dataTablePosition >= 0 && end > this.dataTablePosition) {
          throw new DecodeError(file, offset, `packet of ${this.packetLength} bytes runs into the data table at byte ${this.dataTablePosition}`);
        }
        this.state = State.PacketBody;
        return;
      }
      case State.PacketBody:
        this.readPacket(unit);
        this.state = State.PacketHeader;
        return;
    }
  }

  private readHeader(unit: Uint8Array, view: DataView, offset: number): void {
    const file = this.options.file;
    const stats = this.stats;
    let compression: number;
    let description: string;
    try {
      if (String.fromCharCode(...unit.subarray(4, 8)) !== 'IOHE') throw new CodecError(4, 'identifier is not IOHE');
      const root = FlatTable.root(view, 0);
      compression = root.int32(IOHEADER_COMPRESSION, 0);
      this.dataTablePosition = root.int64(IOHEADER_DATA_TABLE_POSITION, -1);
      description = root.string(IOHEADER_DESCRIPTION) ?? '';
    } catch (error) {
      if (!(error instanceof CodecError)) throw error;
      throw new DecodeError(file, offset + error.offset, `bad IOHeader: ${error.message}`, { cause: error });
    }
    if (!(compression >= 0 && compression < COMPRESSION_NAMES.length)) {
      throw new DecodeError(file, offset, `IOHeader compression ${compression} (expected 0..4)`);
    }
    if (this.dataTablePosition !== -1 && this.dataTablePosition < offset + unit.length) {
      throw new DecodeError(file, offset, `IOHeader data table position ${this.dataTablePosition} lies inside the header`);
    }
    this.codec = new PacketCodec(compression, this.wasm);
    const streams = parseDescription(description);
    for (const s of streams) this.streams.set(s.id, s);
    const events = streams.find((s) => s.type === 'EVTS');
    this.eventStream = events?.id ?? -1;
    stats.header.version = '4.0';
    stats.header.compression = COMPRESSION_NAMES[compression]!;
    stats.header.dataTablePosition = String(this.dataTablePosition);
    stats.header.streams = streams.map((s) => `${s.id}=${s.type}`).join(' ');
    if (events?.source) stats.header.source = events.source;
    if (!this.geometry) {
      const width = this.options.width ?? events?.sizeX;
      const height = this.options.height ?? events?.sizeY;
      if (width === undefined || height === undefined) {
        throw new DecodeError(file, offset, 'the description gives no sizeX/sizeY for an EVTS stream: pass width and height');
      }
      try {
        this.geometry = checkGeometry(width, height, 'sizeX/sizeY');
      } catch (error) {
        throw new DecodeError(file, offset, `bad EVTS geometry in the description: ${(error as Error).message}`, { cause: error });
      }
    }
  }

  private readPacket(unit: Uint8Array): void {
    const file = this.options.file;
    const at = this.packetOffset;
    const stream = this.streams.get(this.packetStream)!;
    const wanted = this.packetStream === this.eventStream || stream.type === 'TRIG';
    if (!wanted) {
      this.stats.skipped[stream.type] = (this.stats.skipped[stream.type] ?? 0) + 1;
      return;
    }
    let bytes: Uint8Array;
    let elements: { start: number; length: number };
    let view: DataView;
    try {
      bytes = this.codec.decompress(unit);
      view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      if (bytes.length < 12) throw new CodecError(0, `packet of ${bytes.length} bytes is too short for a flatbuffer`);
      const size = view.getUint32(0, true);
      if (size + 4 > bytes.length) throw new CodecError(0, `flatbuffer size ${size} exceeds the ${bytes.length - 4} bytes decoded`);
      const identifier = String.fromCharCode(bytes[8]!, bytes[9]!, bytes[10]!, bytes[11]!);
      if (identifier !== stream.type) throw new CodecError(8, `packet identifier ${JSON.stringify(identifier)} (expected ${stream.type})`);
      const root = FlatTable.root(view, 4);
      elements = root.vector(PACKET_ELEMENTS, stream.type === 'TRIG' ? TRIGGER_SIZE : EVENT_SIZE);
    } catch (error) {
      if (!(error instanceof CodecError)) throw error;
      throw new DecodeError(file, at, `bad ${stream.type} packet (stream ${stream.id}): ${error.message}`, { cause: error });
    }
    try {
      if (stream.type === 'TRIG') {
        readTriggers(view, elements.start, elements.length, this.builder);
        this.stats.triggers += elements.length;
        if (elements.length > 0) this.hasTriggers = true;
      } else {
        const { width, height } = this.geometry!;
        this.lastT = this.collector
          ? this.collector.add(bytes, elements.start, elements.length, width, height, this.lastT)
          : readEvents(bytes, elements.start, elements.length, this.builder, width, height, this.lastT);
      }
    } catch (error) {
      if (!(error instanceof BadElement)) throw error;
      throw new DecodeError(file, at, `${stream.type} packet (stream ${stream.id}): ${error.message}`, { cause: error });
    }
  }
}
