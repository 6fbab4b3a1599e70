import { ConfigError } from '../../errors.ts';
import type { EventBatch } from '../../events/eventBatch.ts';
import { checkEvents } from '../checkEvents.ts';
import type { EncoderOptions, EventEncoder } from '../types.ts';
import { DVS_OVERFLOW, DVS_OVERFLOW_US, EVENT_BYTES, GEOMETRY_HEADER_BYTES, MAGIC, TYPE_DVS } from './layout.ts';

/**
 * Event Stream 2.0.0 DVS encoder. Time deltas of 127 µs or more are written as overflow bytes (+127 µs
 * each); the clock starts at 0 µs, so a stream starting late begins with overflow bytes. y is written as
 * given (the stored y, as loris reads it).
 */
export function createEsEncoder(options: EncoderOptions): EventEncoder {
  const { width, height } = options;
  for (const [name, v] of [['width', width], ['height', height]] as const) {
    if (v > 0xffff) throw new ConfigError(name, v, 'Event Stream stores the geometry as uint16: at most 65535');
  }
  let lastT = 0;
  let clock = 0;

  return {
    header() {
      const out = new Uint8Array(GEOMETRY_HEADER_BYTES);
      out.set(MAGIC, 0);
      out.set([2, 0, 0, TYPE_DVS, width & 0xff, width >> 8, height & 0xff, height >> 8], MAGIC.length);
      return out;
    },
    encode(batch: EventBatch) {
      lastT = checkEvents(batch, width, height, lastT);
      const { t, x, y, p } = batch;
      let size = batch.length * EVENT_BYTES;
      let c = clock;
      for (let i = 0; i < batch.length; i++) {
        size += Math.floor((t[i]! - c) / DVS_OVERFLOW_US);
        c = t[i]!;
      }
      const out = new Uint8Array(size);
      let o = 0;
      for (let i = 0; i < batch.length; i++) {
        let delta = t[i]! - clock;
        clock = t[i]!;
        if (delta >= DVS_OVERFLOW_US) {
          const k = Math.floor(delta / DVS_OVERFLOW_US);
          out.fill(DVS_OVERFLOW, o, o + k);
          o += k;
          delta -= k * DVS_OVERFLOW_US;
        }
        out[o] = (delta << 1) | (p[i]! & 1);
        out[o + 1] = x[i]! & 0xff;
        out[o + 2] = x[i]! >> 8;
        out[o + 3] = y[i]! & 0xff;
        out[o + 4] = y[i]! >> 8;
        o += EVENT_BYTES;
      }
      return out;
    },
    end: () => new Uint8Array(0),
  };
}
