import { ConfigError } from '../errors.ts';
import type { Geometry } from '../events/geometry.ts';
import { formatByExtension, formats } from '../formats/registry.ts';
import type { FormatModule } from '../formats/types.ts';
import { DEFAULT_MAX_PAYLOAD, MAX_UDP_PAYLOAD, udpFormatNames } from '../wire/udpFormat.ts';
import { eventFileSink } from './eventFileSink.ts';
import { eventImageStyles } from './eventImage.ts';
import { ndjsonSink } from './ndjsonSink.ts';
import { SinkOptions, slowConsumerPolicies, type SinkSpec } from './options.ts';
import { outputPath } from './outputPath.ts';
import type { Sink } from './types.ts';
import { udpSink } from './udpSink.ts';

/**
 * Builds a sink from its pipeline-file spec (`{"type": "udp", "port": 3333}`), checking every option: a bad
 * or unknown option is a ConfigError naming its key path (`sinks[1].port`), the value and what is allowed.
 * File outputs are resolved against `context.outDir` and may not leave it.
 */
export interface SinkContext {
  readonly outDir: string;
  /** Where the spec sits in the pipeline file, e.g. `sinks[0]`. */
  readonly keyPath: string;
  /** The stream's geometry, when known before the first batch. */
  readonly geometry?: Geometry;
}

export const sinkTypes = ['ndjson', 'png-sequence', 'event-file', 'websocket', 'udp', 'nats'] as const;

const itemKinds = ['events', 'spikes', 'detections'] as const;
const MAX_PORT = 65535;

export async function createSink(spec: SinkSpec, context: SinkContext): Promise<Sink> {
  const { keyPath, outDir } = context;
  switch (spec?.type) {
    case 'ndjson': {
      const o = new SinkOptions(spec, keyPath, ['path', 'include', 'events']);
      const path = o.string('path');
      return ndjsonSink({
        path: path === '-' ? '-' : outputPath(outDir, path, o.path('path')),
        include: o.subsetOf('include', itemKinds),
        events: o.oneOf('events', ['batch', 'lines'] as const, 'batch'),
      });
    }
    case 'png-sequence': {
      const o = new SinkOptions(spec, keyPath, ['dir', 'windowUs', 'style', 'prefix', 'skipEmpty']);
      // Loaded on demand, like the other sinks with a heavy dependency (sharp here, ws and NATS below).
      const { pngSequenceSink } = await import('./pngSequenceSink.ts');
      return pngSequenceSink({
        dir: outputPath(outDir, o.string('dir', 'frames'), o.path('dir')),
        windowUs: o.integer('windowUs', 1, 3_600_000_000, 33_333),
        style: o.oneOf('style', eventImageStyles, 'polarity'),
        prefix: checkFilePrefix(o.string('prefix', 'frame-'), o.path('prefix')),
        skipEmpty: o.boolean('skipEmpty', false),
      });
    }
    case 'event-file': {
      const o = new SinkOptions(spec, keyPath, ['path', 'format']);
      const path = o.string('path');
      return eventFileSink({
        path: outputPath(outDir, path, o.path('path')),
        format: writableFormat(o.optionalString('format'), path, o),
        geometry: context.geometry,
      });
    }
    case 'websocket': {
      const o = new SinkOptions(spec, keyPath, ['host', 'port', 'path', 'policy', 'maxQueue', 'maxBufferedBytes', 'maxEventsPerFrame', 'include']);
      const path = o.string('path', '/stream');
      if (!path.startsWith('/')) throw new ConfigError(o.path('path'), path, 'a URL path starting with "/"');
      const { webSocketSink } = await import('./webSocketSink.ts');
      return webSocketSink({
        host: o.string('host', '127.0.0.1'),
        port: o.integer('port', 0, MAX_PORT, 8080),
        path,
        policy: o.oneOf('policy', slowConsumerPolicies, 'drop-oldest'),
        maxQueue: o.integer('maxQueue', 1, 1_000_000, 64),
        maxBufferedBytes: o.integer('maxBufferedBytes', 1, 2 ** 31, 4 << 20),
        maxEventsPerFrame: o.integer('maxEventsPerFrame', 1, 2 ** 24, 65536),
        include: o.subsetOf('include', itemKinds),
        keyPath,
      });
    }
    case 'udp': {
      const o = new SinkOptions(spec, keyPath, ['host', 'port', 'format', 'timestamps', 'maxPayload', 'policy', 'maxQueue', 'endMarker']);
      const format = o.oneOf('format', udpFormatNames, 't64_x16_y16_on8');
      const timestamps = o.boolean('timestamps', false);
      if (timestamps && format !== 'spif') throw new ConfigError(o.path('timestamps'), true, 'true only with format "spif" (t64_x16_y16_on8 always carries t)');
      return udpSink({
        host: o.string('host', '127.0.0.1'),
        port: o.integer('port', 1, MAX_PORT),
        format,
        timestamps,
        maxPayload: o.integer('maxPayload', format === 'spif' ? (timestamps ? 8 : 4) : 13, MAX_UDP_PAYLOAD, DEFAULT_MAX_PAYLOAD),
        policy: o.oneOf('policy', slowConsumerPolicies, 'drop-oldest'),
        maxQueue: o.integer('maxQueue', 1, 1_000_000, 4096),
        endMarker: o.boolean('endMarker', true),
        keyPath,
      });
    }
    case 'nats': {
      const o = new SinkOptions(spec, keyPath, ['url', 'stream', 'kinds', 'persist', 'maxBytes']);
      const options = {
        url: o.string('url', 'nats://127.0.0.1:4222'),
        stream: o.string('stream'),
        kinds: o.subsetOf('kinds', itemKinds),
        persist: o.boolean('persist', false),
        maxBytes: o.optionalInteger('maxBytes', 1, Number.MAX_SAFE_INTEGER),
      };
      // Loaded on demand: the NATS client is only needed by pipelines that publish to a broker.
      const { natsSink } = await import('./natsSink.ts');
      return natsSink(options);
    }
    default:
      throw new ConfigError(`${keyPath}.type`, spec?.type, `one of ${sinkTypes.join(', ')}`);
  }
}

function writableFormat(name: string | undefined, path: string, o: SinkOptions): FormatModule {
  const writable = formats.filter((f) => f.createEncoder || f.writeFile);
  const list = writable.map((f) => f.name).join(', ') || '(none yet)';
  if (name !== undefined) {
    const found = formats.find((f) => f.name === name);
    if (!found || !(found.createEncoder || found.writeFile)) throw new ConfigError(o.path('format'), name, `a writable format: ${list}`);
    return found;
  }
  const byExtension = formatByExtension(path);
  if (!byExtension || !(byExtension.createEncoder || byExtension.writeFile)) {
    const extensions = writable.flatMap((f) => f.extensions).join(', ') || '(none yet)';
    throw new ConfigError(o.path('path'), path, `a file name ending in a writable format's extension (${extensions}), or set "format"`);
  }
  return byExtension;
}

function checkFilePrefix(prefix: string, parameter: string): string {
  if (/[\\/]|\.\./.test(prefix)) throw new ConfigError(parameter, prefix, 'a file name prefix without "/", "\\" or ".."');
  return prefix;
}
