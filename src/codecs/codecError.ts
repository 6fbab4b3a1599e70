import { SpikeflowError } from '../errors.ts';

/**
 * Compressed bytes that do not decode. `offset` counts from the start of the compressed input the codec was
 * given; format decoders add the input's file offset and rethrow a DecodeError, so this never reaches users.
 */
export class CodecError extends SpikeflowError {
  readonly offset: number;
  constructor(offset: number, what: string, options?: { cause?: unknown }) {
    super(`at byte ${offset} of the compressed data: ${what}`, options);
    this.offset = offset;
  }
}
