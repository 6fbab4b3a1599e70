import { DecodeError } from '../../errors.ts';
import { checkGeometry, type Geometry } from '../../events/geometry.ts';

/** Longest header line accepted (jAER writes preference XML lines of a few hundred bytes). */
const MAX_LINE = 1 << 20;
const HASH = 0x23;
const NEWLINE = 0x0a;

/**
 * Collects the `#`-prefixed ASCII header of jAER / cAER files (AEDAT 2.0 and 3.x) from chunks of any size.
 * The header ends after a line for which `isLastLine` holds, or (AEDAT 2.0) at the first line that does not
 * start with `#`. Lines are kept without the leading `#` handling and without `\r\n`.
 */
export class HashHeader {
  readonly lines: string[] = [];
  /** Bytes of the header consumed so far. */
  length = 0;
  done = false;
  private line = new Uint8Array(256);
  private lineLength = 0;
  private atLineStart = true;

  constructor(
    private readonly isLastLine: (line: string) => boolean,
    private readonly endsAtNonHash: boolean,
  ) {}

  /** Consumes header bytes from `chunk[pos..]`; returns where the data starts (= chunk.length if not yet). */
  consume(chunk: Uint8Array, pos: number): number {
    while (pos < chunk.length && !this.done) {
      const byte = chunk[pos]!;
      if (this.atLineStart && byte !== HASH && this.endsAtNonHash) {
        this.done = true;
        break;
      }
      this.atLineStart = false;
      if (this.lineLength === this.line.length) {
        if (this.lineLength >= MAX_LINE) throw new RangeError(`header line longer than ${MAX_LINE} bytes`);
        const grown = new Uint8Array(this.line.length * 2);
        grown.set(this.line);
        this.line = grown;
      }
      this.line[this.lineLength++] = byte;
      pos++;
      this.length++;
      if (byte === NEWLINE) this.finishLine();
    }
    return pos;
  }

  /** The text of an unterminated last line (a file that ends inside its header), if any. */
  flushPartialLine(): void {
    if (this.lineLength > 0) this.finishLine();
  }

  private finishLine(): void {
    let end = this.lineLength;
    while (end > 0 && (this.line[end - 1] === NEWLINE || this.line[end - 1] === 0x0d)) end--;
    const text = new TextDecoder('latin1').decode(this.line.subarray(0, end));
    this.lines.push(text);
    this.lineLength = 0;
    this.atLineStart = true;
    if (this.isLastLine(text)) this.done = true;
  }
}

/** `# Key: value` comment lines as a record (preference XML and other non key/value lines are left out). */
export function headerKeyValues(lines: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines) {
    const m = /^#\s*([A-Za-z][\w .()-]{0,40}?)\s*:\s*(.*)$/.exec(line);
    if (m && !(m[1]! in out)) out[m[1]!] = m[2]!.trim();
  }
  return out;
}

/** Our own `# Geometry: WxH` line (written by the spikeflow encoders, ignored by jAER/DV as a comment). */
export function geometryLine(lines: readonly string[]): { width: number; height: number } | undefined {
  for (const line of lines) {
    const m = /^#\s*Geometry:\s*(\d+)\s*x\s*(\d+)\s*$/i.exec(line);
    if (m) return { width: Number(m[1]), height: Number(m[2]) };
  }
  return undefined;
}

// What the AEDAT 2.0 and 3.1 decoders do with their header, with the file's name for the DecodeErrors.

/** Throws a DecodeError at the first byte of `chunk` (the bytes after those the header has) that departs from `prefix`. */
export function checkHeaderPrefix(header: HashHeader, chunk: Uint8Array, prefix: string, file: string, what: string): void {
  const seen = header.length;
  for (let i = 0; seen + i < prefix.length && i < chunk.length; i++) {
    if (chunk[i] !== prefix.charCodeAt(seen + i)) {
      throw new DecodeError(file, seen + i, `not an ${what} file (expected it to start with "${prefix}")`);
    }
  }
}

/** `header.consume(chunk, 0)`, with a header line too long reported as a DecodeError where the header stands. */
export function consumeHeader(header: HashHeader, chunk: Uint8Array, file: string): number {
  try {
    return header.consume(chunk, 0);
  } catch (error) {
    throw new DecodeError(file, header.length, (error as Error).message, { cause: error });
  }
}

/** The geometry the header gave (or the options overrode), checked, as a DecodeError at the header's end. */
export function checkHeaderGeometry(width: number, height: number, header: HashHeader, file: string): Geometry {
  try {
    return checkGeometry(width, height);
  } catch (error) {
    throw new DecodeError(file, header.length, (error as Error).message, { cause: error });
  }
}
