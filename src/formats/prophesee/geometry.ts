import { DecodeError } from '../../errors.ts';
import { checkGeometry, type Geometry } from '../../events/geometry.ts';
import type { DecoderOptions } from '../types.ts';
import type { HeaderFields } from './headerLines.ts';

/** Sensor sizes of Prophesee HAL plugins, for old RAW files whose header has no geometry line. */
const PLUGIN_GEOMETRY: Record<string, Geometry> = {
  hal_plugin_gen3_fx3: { width: 640, height: 480 },
  hal_plugin_gen31_fx3: { width: 640, height: 480 },
  hal_plugin_gen41_evk3: { width: 1280, height: 720 },
  hal_plugin_imx636_evk4: { width: 1280, height: 720 },
};

/**
 * The geometry of a Prophesee file: the user's --width/--height first, then `% geometry WxH`,
 * `% format NAME;width=..;height=..`, DAT's `% Width`/`% Height`, the plugin name, and finally `fallback`.
 */
export function propheseeGeometry(fields: HeaderFields, options: DecoderOptions, fallback: Geometry): Geometry {
  const fromHeader = headerGeometry(fields, options.file) ?? fallback;
  const width = options.width ?? fromHeader.width;
  const height = options.height ?? fromHeader.height;
  return checkGeometry(width, height);
}

function headerGeometry(fields: HeaderFields, file: string): Geometry | undefined {
  const geometry = fields.geometry?.match(/^(\d+)\s*x\s*(\d+)$/);
  if (geometry) return checked(Number(geometry[1]), Number(geometry[2]), file, 'geometry');
  const format = fields.format;
  if (format) {
    const width = format.match(/(?:^|;)\s*width=(\d+)/)?.[1];
    const height = format.match(/(?:^|;)\s*height=(\d+)/)?.[1];
    if (width && height) return checked(Number(width), Number(height), file, 'format');
  }
  if (fields.Width && fields.Height) return checked(Number(fields.Width), Number(fields.Height), file, 'Width/Height');
  const plugin = fields.plugin_name;
  return plugin ? PLUGIN_GEOMETRY[plugin] : undefined;
}

function checked(width: number, height: number, file: string, line: string): Geometry {
  if (!(width >= 1 && height >= 1 && width <= 65536 && height <= 65536)) {
    throw new DecodeError(file, 0, `header line "${line}" gives an impossible geometry ${width}x${height}`);
  }
  return { width, height };
}
