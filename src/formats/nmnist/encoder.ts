import { ConfigError } from '../../errors.ts';
import type { EventBatch } from '../../events/eventBatch.ts';
import { checkEvents } from '../checkEvents.ts';
import type { EncoderOptions, EventEncoder } from '../types.ts';
import { MAX_TS_FIELD, OVERFLOW_STEP_US, OVERFLOW_Y, RECORD_BYTES } from './layout.ts';

/**
 * N-MNIST binary encoder. The format holds x, y in one byte each (and y = 240 is reserved for overflow
 * markers) and 23 bits of time; later times are reached by writing overflow markers, each adding 8192 µs,
 * as tonic reads them. Anything else the format cannot hold is a ConfigError that says so.
 */
export function createNmnistEncoder(options: EncoderOptions): EventEncoder {
  const { width, height } = options;
  if (width > 256) throw new ConfigError('width', width, 'N-MNIST binary holds x in one byte: width <= 256');
  if (height > 256) throw new ConfigError('height', height, 'N-MNIST binary holds y in one byte: height <= 256');
  let lastT = 0;
  let timeBase = 0;

  return {
    header: () => new Uint8Array(0),
    encode(batch: EventBatch) {
      lastT = checkEvents(batch, width, height, lastT);
      const { t, x, y, p } = batch;
      // Markers needed before each event: computed in a first pass to size the output exactly.
      let markers = 0;
      let base = timeBase;
      for (let i = 0; i < batch.length; i++) {
        if (y[i] === OVERFLOW_Y) {
          throw new ConfigError('y', OVERFLOW_Y, 'N-MNIST binary reserves y=240 for timestamp-overflow markers');
        }
        const excess = t[i]! - base - MAX_TS_FIELD;
        if (excess > 0) {
          const k = Math.ceil(excess / OVERFLOW_STEP_US);
          markers += k;
          base += k * OVERFLOW_STEP_US;
        }
      }
      const out = new Uint8Array((batch.length + markers) * RECORD_BYTES);
      let o = 0;
      for (let i = 0; i < batch.length; i++) {
        const excess = t[i]! - timeBase - MAX_TS_FIELD;
        if (excess > 0) {
          for (let k = Math.ceil(excess / OVERFLOW_STEP_US); k > 0; k--) {
            out[o + 1] = OVERFLOW_Y; // x, polarity and time of a marker are zero
            o += RECORD_BYTES;
          }
          timeBase += Math.ceil(excess / OVERFLOW_STEP_US) * OVERFLOW_STEP_US;
        }
        const ts = t[i]! - timeBase;
        out[o] = x[i]!;
        out[o + 1] = y[i]!;
        out[o + 2] = (p[i]! ? 0x80 : 0) | (ts >>> 16);
        out[o + 3] = (ts >>> 8) & 0xff;
        out[o + 4] = ts & 0xff;
        o += RECORD_BYTES;
      }
      return out;
    },
    end: () => new Uint8Array(0),
  };
}
