import { DecodeError } from '../../errors.ts';

/** Header keys as the file states them: `% key value` → { key: 'value' }. Later lines win. */
export type HeaderFields = Record<string, string>;

const PERCENT = 0x25;
const NEWLINE = 0x0a;
/** A header bigger than this is not a header: stops a garbage file from being buffered whole. */
const MAX_HEADER_BYTES = 1 << 20;
const ASCII = new TextDecoder('latin1');
/** Header lines up to this long become strings without TextDecoder (a native call costs more than the line). */
const SHORT_LINE = 256;
const NO_BYTES = new Uint8Array(0);

/** The text of checked header bytes (tab, CR and printable ASCII only). */
function lineText(bytes: Uint8Array, start: number, end: number): string {
  if (end - start > SHORT_LINE) return ASCII.decode(bytes.subarray(start, end));
  return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
}

/**
 * Splits the ASCII `%` header of a Prophesee file (RAW and DAT) from the binary data, incrementally: bytes are
 * buffered until the first line that does not start with `%` (or after a `% end` line, as OpenEB does).
 * A `%` "line" holding bytes that are not text is data whose first byte happens to be 0x25, so it ends the
 * header too: that keeps old headers without `% end` safe.
 */
export class HeaderSplitter {
  /** Bytes of a header cut by chunk boundaries (allocated only then: most headers come in one chunk). */
  private buffer: Uint8Array = NO_BYTES;
  private length = 0;
  private done = false;
  fields: HeaderFields = {};
  /** Bytes of header (the binary data starts at this file offset). */
  headerBytes = 0;

  constructor(private readonly file: string) {}

  get finished(): boolean {
    return this.done;
  }

  /**
   * Takes the next chunk; returns undefined while the header is incomplete, else the data bytes that follow
   * it (the tail of this chunk plus anything buffered).
   */
  push(chunk: Uint8Array): Uint8Array | undefined {
    if (this.done) return chunk;
    if (this.length === 0) {
      // Usually the whole header is in the first chunk: scan it in place and hand back a view of the data.
      const saved = this.buffer;
      this.buffer = chunk;
      this.length = chunk.length;
      const data = this.scan(false);
      if (data) return data;
      this.buffer = saved;
      this.length = 0;
      this.headerBytes = 0;
      this.fields = {};
    }
    this.append(chunk);
    return this.scan(false);
  }

  /** At end of file: whatever is buffered. A `%` line cut short without its newline is a truncated header. */
  end(): Uint8Array {
    if (this.done) return NO_BYTES;
    const rest = this.scan(true);
    return rest ?? NO_BYTES;
  }

  private scan(atEnd: boolean): Uint8Array | undefined {
    const b = this.buffer;
    let lineStart = this.headerBytes;
    for (;;) {
      if (lineStart >= this.length) {
        if (atEnd) return this.finish(lineStart);
        this.headerBytes = lineStart;
        return undefined;
      }
      if (b[lineStart] !== PERCENT) return this.finish(lineStart);
      let i = lineStart + 1;
      let text = true;
      while (i < this.length && b[i] !== NEWLINE) {
        const c = b[i]!;
        if (c < 0x20 ? c !== 0x09 && c !== 0x0d : c > 0x7e) text = false;
        i++;
      }
      if (!text) return this.finish(lineStart);
      if (i >= this.length) {
        if (atEnd) throw new DecodeError(this.file, lineStart, 'header line cut short (no newline at end of file)');
        if (this.length > MAX_HEADER_BYTES) {
          throw new DecodeError(this.file, lineStart, `header longer than ${MAX_HEADER_BYTES} bytes`);
        }
        this.headerBytes = lineStart;
        return undefined;
      }
      // trim() also drops the CR of a CRLF line end.
      const line = lineText(b, lineStart + 1, i).trim();
      lineStart = i + 1;
      if (line === 'end') return this.finish(lineStart);
      const space = line.search(/\s/);
      const key = space < 0 ? line : line.slice(0, space);
      if (key) this.fields[key] = space < 0 ? '' : line.slice(space + 1).trim();
    }
  }

  private finish(dataStart: number): Uint8Array {
    this.done = true;
    this.headerBytes = dataStart;
    const data = this.buffer.subarray(dataStart, this.length);
    this.buffer = NO_BYTES;
    this.length = 0;
    return data;
  }

  private append(chunk: Uint8Array): void {
    if (this.length + chunk.length > this.buffer.length) {
      let size = Math.max(4096, this.buffer.length * 2);
      while (size < this.length + chunk.length) size *= 2;
      const grown = new Uint8Array(size);
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    this.buffer.set(chunk, this.length);
    this.length += chunk.length;
  }
}

/** Reads the header fields of a file head (for sniffing): stops at the first non-header line. */
export function headerFieldsOf(head: Uint8Array): HeaderFields {
  const splitter = new HeaderSplitter('(sniff)');
  try {
    splitter.push(head);
  } catch {
    // An unterminated or oversized header in the sniffed head still tells us its first lines.
  }
  return splitter.fields;
}
