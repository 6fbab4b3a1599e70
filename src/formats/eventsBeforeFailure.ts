import { DecodeError } from '../errors.ts';
import type { EventBatch } from '../events/eventBatch.ts';

/** What a decoder lends EventsBeforeFailure for one chunk. */
export interface ChunkStep {
  /** Decodes the chunk, throwing a DecodeError at the first damage. */
  decode(): EventBatch;
  /** Whether events (or triggers) decoded before the damage are waiting. */
  holdsEvents(): boolean;
  /** Hands the waiting events over. */
  take(): EventBatch;
  /** Drops what a failed chunk left half-collected, before its error is thrown at once. */
  discard?(): void;
}

/**
 * "The events before the damage first" for decoders that meet damage as a DecodeError thrown in the middle of a
 * chunk (the AEDAT decoders): the events decoded before it are returned, and the error is thrown by the next
 * call. An error with no events before it, or any other error, is thrown at once.
 */
export class EventsBeforeFailure {
  private failure: DecodeError | undefined;

  /** Throws the error kept from an earlier chunk, if any (first thing in `push` and `end`). */
  throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }

  run(step: ChunkStep): EventBatch {
    this.throwIfFailed();
    try {
      return step.decode();
    } catch (error) {
      if (!(error instanceof DecodeError) || !step.holdsEvents()) {
        step.discard?.();
        throw error;
      }
      this.failure = error;
      return step.take();
    }
  }
}
