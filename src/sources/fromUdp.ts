import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Observable } from 'rxjs';
import { ConfigError, ExternalError } from '../errors.ts';
import type { EventBatch } from '../events/eventBatch.ts';
import { EventBatchBuilder } from '../events/eventBatchBuilder.ts';
import { checkGeometry } from '../events/geometry.ts';
import { createDatagramReader, udpFormatNames, type UdpFormatName } from '../wire/udpFormat.ts';

/**
 * Events received on a UDP port, in faery's `t64_x16_y16_on8` layout or AEStream's SPIF words — what
 * `udpSink` sends, so two spikeflow processes can be chained. A hot source: the socket is bound on subscribe
 * (one subscriber per port; unsubscribing closes it) and datagrams arrive at the sender's pace.
 *
 * Buffering: datagrams received in one turn of the event loop are decoded into one batch, emitted on the next
 * turn (or at once when `maxBufferedEvents` is reached), so memory is bounded and no datagram is held back.
 * When the pipeline falls behind, the kernel's receive buffer (`receiveBufferBytes`, capped by the system)
 * overflows and drops datagrams: on Linux they are counted from /proc/net/udp in `stats.kernelDrops`.
 * Datagrams that would break the stream contract are dropped and counted: a first t below the last t
 * received (`outOfOrder`, as faery's receiver does), t decreasing inside a datagram or a cut-off spif
 * timestamp (`malformed`); events outside the geometry are dropped one by one (`outOfRange`).
 *
 * The stream completes on an empty datagram (udpSink's end marker) unless `completeOnEndMarker` is false,
 * or after `idleTimeoutMs` without datagrams when that is set. spif events sent without timestamps get their
 * arrival time, in µs since the source was subscribed.
 */
export interface FromUdpOptions {
  readonly format?: UdpFormatName;
  /** Address to bind (default 127.0.0.1; '0.0.0.0' to receive from other hosts). */
  readonly host?: string;
  /** Sensor geometry (UDP carries none). Default 1280 × 720, faery's default. */
  readonly width?: number;
  readonly height?: number;
  readonly maxBufferedEvents?: number;
  readonly receiveBufferBytes?: number;
  readonly completeOnEndMarker?: boolean;
  readonly idleTimeoutMs?: number;
  /** Called once bound, with the port (useful with port 0). */
  readonly onListening?: (port: number) => void;
}

export interface UdpSourceStats {
  port: number;
  datagrams: number;
  events: number;
  outOfOrder: number;
  malformed: number;
  outOfRange: number;
  kernelDrops: number;
}

export type UdpSource = Observable<EventBatch> & { readonly stats: UdpSourceStats };

const DEFAULT_MAX_BUFFERED_EVENTS = 1 << 18;
const DEFAULT_RECEIVE_BUFFER = 8 << 20;

export function fromUdp(port: number, options: FromUdpOptions = {}): UdpSource {
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('port', port, 'an integer in 0..65535');
  const format = options.format ?? 't64_x16_y16_on8';
  if (!udpFormatNames.includes(format)) throw new ConfigError('format', format, `one of ${udpFormatNames.join(', ')}`);
  const geometry = checkGeometry(options.width ?? 1280, options.height ?? 720, 'udp source');
  const host = options.host ?? '127.0.0.1';
  const maxBuffered = options.maxBufferedEvents ?? DEFAULT_MAX_BUFFERED_EVENTS;
  const stats: UdpSourceStats = { port, datagrams: 0, events: 0, outOfOrder: 0, malformed: 0, outOfRange: 0, kernelDrops: 0 };

  const source = new Observable<EventBatch>((subscriber) => {
    Object.assign(stats, { datagrams: 0, events: 0, outOfOrder: 0, malformed: 0, outOfRange: 0, kernelDrops: 0 });
    const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    const read = createDatagramReader(format);
    const builder = new EventBatchBuilder(4096);
    const started = performance.now();
    let lastT = -Infinity;
    let flushScheduled: NodeJS.Immediate | undefined;
    let idleTimer: NodeJS.Timeout | undefined;
    let boundPort = -1;
    let closed = false;

    const flush = () => {
      flushScheduled = undefined;
      if (builder.length > 0) subscriber.next(builder.take(geometry));
    };
    const finish = () => {
      flush();
      if (boundPort >= 0) stats.kernelDrops = readKernelDrops(boundPort);
      subscriber.complete();
    };
    const armIdle = () => {
      if (options.idleTimeoutMs === undefined) return;
      clearTimeout(idleTimer);
      idleTimer = setTimeout(finish, options.idleTimeoutMs);
    };

    socket.on('message', (datagram) => {
      armIdle();
      if (datagram.byteLength === 0) {
        if (options.completeOnEndMarker ?? true) finish();
        return;
      }
      stats.datagrams++;
      const start = builder.length;
      const arrival = Math.floor((performance.now() - started) * 1000);
      const n = read(datagram, builder, arrival);
      if (n < 0) {
        stats.malformed++;
        return;
      }
      const verdict = checkDatagram(builder, start, lastT);
      if (verdict !== 'ok') {
        builder.length = start;
        stats[verdict]++;
        return;
      }
      stats.outOfRange += keepInside(builder, start, geometry.width, geometry.height);
      if (builder.length > start) lastT = builder.t[builder.length - 1];
      stats.events += builder.length - start;
      if (builder.length >= maxBuffered) flush();
      else flushScheduled ??= setImmediate(flush);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (closed) return;
      const why = error.code === 'EADDRINUSE' ? 'the port is already in use' : error.message;
      subscriber.error(new ExternalError(`UDP source: cannot receive on ${host}:${port}: ${why}`, { cause: error }));
    });
    socket.bind(port, host, () => {
      boundPort = socket.address().port;
      stats.port = boundPort;
      try {
        socket.setRecvBufferSize(options.receiveBufferBytes ?? DEFAULT_RECEIVE_BUFFER);
      } catch {
        // The system caps the size (net.core.rmem_max); the default buffer still works.
      }
      armIdle();
      options.onListening?.(boundPort);
    });

    return () => {
      closed = true;
      clearTimeout(idleTimer);
      if (flushScheduled) clearImmediate(flushScheduled);
      if (boundPort >= 0) stats.kernelDrops = readKernelDrops(boundPort);
      try {
        socket.close();
      } catch {
        // Already closed after a bind error.
      }
    };
  });
  return Object.assign(source, { stats });
}

/** 'ok', or why the datagram's events (from `start`) must be dropped to keep t non-decreasing. */
function checkDatagram(builder: EventBatchBuilder, start: number, lastT: number): 'ok' | 'outOfOrder' | 'malformed' {
  const { t } = builder;
  if (builder.length > start && t[start] < lastT) return 'outOfOrder';
  for (let i = start + 1; i < builder.length; i++) if (t[i] < t[i - 1]) return 'malformed';
  return 'ok';
}

/** Removes events outside the geometry (in place, from `start`); returns how many were removed. */
function keepInside(builder: EventBatchBuilder, start: number, width: number, height: number): number {
  const { t, x, y, p } = builder;
  let k = start;
  for (let i = start; i < builder.length; i++) {
    if (x[i] >= width || y[i] >= height) continue;
    if (k !== i) {
      t[k] = t[i];
      x[k] = x[i];
      y[k] = y[i];
      p[k] = p[i];
    }
    k++;
  }
  const removed = builder.length - k;
  builder.length = k;
  return removed;
}

/** The kernel's drop counter for a bound UDP port (Linux /proc/net/udp{,6}); 0 where unavailable. */
function readKernelDrops(port: number): number {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  let drops = 0;
  for (const table of ['/proc/net/udp', '/proc/net/udp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length > 12 && fields[1].endsWith(`:${hexPort}`)) drops += Number(fields[fields.length - 1]) || 0;
    }
  }
  return drops;
}
