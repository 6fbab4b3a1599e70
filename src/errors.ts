/**
 * The spikeflow error family. Every error says where it happened (file and byte offset, or the parameter and
 * what was allowed) so that a user can act on it without reading our code.
 */
export class SpikeflowError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Input bytes that do not decode: names the file, the byte offset and what was expected there. */
export class DecodeError extends SpikeflowError {
  readonly file: string;
  readonly offset: number;
  constructor(file: string, offset: number, what: string, options?: { cause?: unknown }) {
    super(`${file}: at byte ${offset}: ${what}`, options);
    this.file = file;
    this.offset = offset;
  }
}

/** A parameter outside what is allowed: names the parameter, the value and the allowed range. */
export class ConfigError extends SpikeflowError {
  readonly parameter: string;
  readonly value: unknown;
  readonly allowed: string;
  constructor(parameter: string, value: unknown, allowed: string, options?: { cause?: unknown }) {
    super(`${parameter}: ${formatValue(value)} is not allowed (${allowed})`, options);
    this.parameter = parameter;
    this.value = value;
    this.allowed = allowed;
  }
}

/** An external program or peer (ffmpeg, a broker, a socket client) failed or vanished. */
export class ExternalError extends SpikeflowError {}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
