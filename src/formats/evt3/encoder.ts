import type { EncoderOptions, EventEncoder } from '../types.ts';
// Replaced below.
export class Evt3Encoder implements EventEncoder {
  constructor(_: EncoderOptions) {}
  header() { return new Uint8Array(0); }
  encode() { return new Uint8Array(0); }
  end() { return new Uint8Array(0); }
}
