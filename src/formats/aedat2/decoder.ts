import { PendingBytes } from '../../codecs/pendingBytes.ts';
import { DecodeError } from '../../errors.ts';
import { emptyBatch, type EventBatch } from '../../events/eventBatch.ts';
import { EventBatchBuilder } from '../../events/eventBatchBuilder.ts';
import type { Geometry } from '../../events/geometry.ts';
import { EventsBeforeFailure } from '../eventsBeforeFailure.ts';
import type { DecodeStats, DecoderOptions, EventDecoder } from '../types.ts';
import { chipInfo, type Aedat2Layout } from './chips.ts';
import { checkHeaderGeometry, checkHeaderPrefix, consumeHeader, geometryLine, HashHeader, headerKeyValues } from './hashHeader.ts';
import { decodeRecords, type RecordState } from './records.ts';

export interface Aedat2DecoderOptions extends DecoderOptions {
  /** Address layout; by default taken from the `# AEChip:` header line (DAVIS when it names none). */
  readonly layout?: Aedat2Layout;
}

const PREFIX = '#!AER-DAT';

/**
 * Incremental jAER AEDAT 2.0 (and 1.0) decoder: `#` header lines, then big-endian records. The header's
 * `# Creation time: System.currentTimeMillis() <ms>` is reported as `stats.header.startTimestampMs`.
 * A file that ends inside its header (a header-only file) decodes to zero events.
 */
export class Aedat2Decoder implements EventDecoder {
  readonly stats: DecodeStats = { triggers: 0, skipped: {}, header: {} };
  geometry: Geometry | undefined;
  private readonly header = new HashHeader((line) => /^#\s*End Of ASCII Header/i.test(line), true);
  private readonly input = new PendingBytes();
  private readonly builder = new EventBatchBuilder();
  private readonly state: RecordState = { lastRaw: -1, wrap: 0, aps: 0, imu: 0, external: 0 };
  private recordSize = 8;
  private layout: Aedat2Layout = 'davis';
  private ready = false;

  constructor(private readonly options: Aedat2DecoderOptions) {}

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
      checkHeaderPrefix(this.header, chunk, PREFIX, this.options.file, 'AEDAT');
      pos = consumeHeader(this.header, chunk, this.options.file);
      if (!this.header.done) return this.take();
      this.finishHeader();
    }
    const input = this.input;
    input.feed(pos === 0 ? chunk : chunk.subarray(pos));
    const size = this.recordSize;
    for (;;) {
      const at = input.offset;
      let records: Uint8Array | undefined;
      if (input.held > 0 || input.available < size) records = input.take(size);
      else records = input.takeAvailable(input.available - (input.available % size));
      if (!records) break;
      const { width, height } = this.geometry!;
      decodeRecords(records, size, this.layout, width, height, this.builder, this.state, this.options.file, at);
      if (input.available === 0) break;
    }
    return this.take();
  }

  end(): EventBatch {
    this.failure.throwIfFailed();
    if (!this.ready) {
      this.header.flushPartialLine();
      if (this.header.lines.length === 0) throw new DecodeError(this.options.file, 0, 'the file is empty');
      this.finishHeader();
    }
    if (this.input.held > 0) {
      throw new DecodeError(this.options.file, this.input.offset, `file ends inside a ${this.recordSize}-byte event (truncated)`);
    }
    return this.take();
  }

  private take(): EventBatch {
    const { aps, imu, external } = this.state;
    const skipped = this.stats.skipped;
    if (aps) skipped.aps = aps;
    if (imu) skipped.imu = imu;
    if (external) skipped.external = external;
    if (this.builder.length === 0) return emptyBatch(this.geometry ?? { width: 1, height: 1 });
    return this.builder.take(this.geometry!);
  }

  private finishHeader(): void {
    const file = this.options.file;
    const lines = this.header.lines;
    const version = /^#!AER-DAT(\d+)\.(\d+)/.exec(lines[0] ?? '');
    if (!version || (version[1] !== '1' && version[1] !== '2')) {
      throw new DecodeError(file, 0, `not an AEDAT 1.0/2.0 file (first line ${JSON.stringify(lines[0] ?? '')})`);
    }
    this.recordSize = version[1] === '1' ? 6 : 8;
    const kv = headerKeyValues(lines.slice(1));
    const header = this.stats.header;
    Object.assign(header, kv);
    header.version = `${version[1]}.${version[2]}`;
    header.dataVersion = version[1]!;
    const created = /currentTimeMillis\(\)\s*(\d+)/.exec(kv['Creation time'] ?? '');
    if (created) header.startTimestampMs = created[1]!;
    const chip = chipInfo(kv.AEChip);
    this.layout = this.options.layout ?? chip?.layout ?? 'davis';
    header.layout = this.layout;
    const fromLine = geometryLine(lines);
    // The DVS128 layout has 7-bit x and y: the sensor is 128x128 whatever the chip line says.
    const fromChip = chip && chip.layout === this.layout ? chip : this.layout === 'dvs128' ? { width: 128, height: 128 } : undefined;
    const width = this.options.width ?? fromLine?.width ?? fromChip?.width;
    const height = this.options.height ?? fromLine?.height ?? fromChip?.height;
    if (width === undefined || height === undefined) {
      throw new DecodeError(file, this.header.length, `the header names no known camera (AEChip ${JSON.stringify(kv.AEChip ?? '')}): pass width and height`);
    }
    this.geometry = checkHeaderGeometry(width, height, this.header, file);
    this.input.offset = this.header.length;
    this.ready = true;
  }
}
