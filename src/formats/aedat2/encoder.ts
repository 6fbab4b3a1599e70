import { ConfigError } from '../../errors.ts';
import type { EventBatch } from '../../events/eventBatch.ts';
import { checkGeometry } from '../../events/geometry.ts';
import type { EncoderOptions, EventEncoder } from '../types.ts';
import { chipClassFor, type Aedat2Layout } from './chips.ts';

export interface Aedat2EncoderOptions extends EncoderOptions {
  /** Address layout (default 'davis': x 10 bits, y 9 bits; 'dvs128': 7 bits each). */
  readonly layout?: Aedat2Layout;
  /** For `# Creation time: System.currentTimeMillis()` (default: now). */
  readonly creationTimeMs?: number;
}

const TWO_32 = 4294967296;
const HALF_RANGE = 2147483648;

/**
 * Writes jAER AEDAT 2.0: a `#` header (AEChip class and our `# Geometry: WxH` line), then 8-byte big-endian
 * records with jAER's mirrored x. Time stamps are 32-bit µs: the first must be below 2^32 and each step
 * below 2^31, which the decoder's unwrap then restores exactly.
 */
export class Aedat2Encoder implements EventEncoder {
  private readonly layout: Aedat2Layout;
  private lastT = -Infinity;

  constructor(private readonly options: Aedat2EncoderOptions) {
    checkGeometry(options.width, options.height, 'aedat2');
    this.layout = options.layout ?? 'davis';
    const [maxW, maxH] = this.layout === 'dvs128' ? [128, 128] : this.layout === 'davis' ? [1024, 512] : [0, 0];
    if (maxW === 0) throw new ConfigError('aedat2.layout', this.layout, "'davis' or 'dvs128'");
    if (options.width > maxW || options.height > maxH) {
      throw new ConfigError('aedat2.geometry', `${options.width}x${options.height}`, `at most ${maxW}x${maxH} in the ${this.layout} layout`);
    }
  }

  header(): Uint8Array {
    const { width, height, source } = this.options;
    const created = this.options.creationTimeMs ?? Date.now();
    const lines = [
      '#!AER-DAT2.0',
      `# This is a raw AE data file created by spikeflow${source ? ` from ${source.replace(/[\r\n]/g, ' ')}` : ''}`,
      '# Data format is int32 address, int32 timestamp (8 bytes total), repeated for each event',
      '# Timestamps tick: 1 us',
      `# Creation date: ${new Date(created).toString()}`,
      `# Creation time: System.currentTimeMillis() ${created}`,
      `# AEChip: ${chipClassFor(this.layout, width, height)}`,
      `# Geometry: ${width}x${height}`,
      '#End Of ASCII Header',
    ];
    return new TextEncoder().encode(lines.map((l) => `${l}\r\n`).join(''));
  }

  encode(batch: EventBatch): Uint8Array {
    const { width, height } = this.options;
    const out = new Uint8Array(batch.length * 8);
    const view = new DataView(out.buffer);
    const { t, x, y, p } = batch;
    let last = this.lastT;
    for (let i = 0; i < batch.length; i++) {
      const ti = t[i]!;
      if (!(ti >= last)) throw new ConfigError('t', ti, `non-decreasing time stamps (previous t=${last})`);
      if (last === -Infinity ? !(ti >= 0 && ti < TWO_32 && Number.isInteger(ti)) : !(ti - last < HALF_RANGE && Number.isInteger(ti))) {
        throw new ConfigError('t', ti, last === -Infinity ? 'a first time stamp in 0..4294967295 µs (32-bit AEDAT 2.0; AEDAT 3.1 and 4.0 hold 64-bit times)' : `a step below 2^31 µs from t=${last} (32-bit AEDAT 2.0)`);
      }
      const xi = x[i]!;
      const yi = y[i]!;
      if (xi >= width) throw new ConfigError('x', xi, `x < width=${width}`);
      if (yi >= height) throw new ConfigError('y', yi, `y < height=${height}`);
      const address =
        this.layout === 'davis'
          ? ((yi << 22) | ((width - 1 - xi) << 12) | ((p[i]! ? 1 : 0) << 11)) >>> 0
          : (yi << 8) | ((127 - xi) << 1) | (p[i]! ? 0 : 1);
      view.setUint32(i * 8, address);
      view.setUint32(i * 8 + 4, ti % TWO_32);
      last = ti;
    }
    this.lastT = last;
    return out;
  }

  end(): Uint8Array {
    return new Uint8Array(0);
  }
}
