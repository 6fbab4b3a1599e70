import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import { ConfigError, ExternalError } from '../errors.ts';
import { encodeEventFrame, encodeSpikeFrame } from '../wire/eventFrame.ts';
import { decodeCameraFrame } from './cameraFrameMessage.ts';
import { ClientHub } from './clientHub.ts';
import type { LiveProcessor, LiveSettings } from './liveProcessor.ts';

export interface LiveServerOptions {
  /** Interface to bind; loopback unless the user asks for another. */
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** Builds the video → events → SNN → detections chain for one camera (same code as offline runs). */
  readonly createProcessor: (settings: LiveSettings) => LiveProcessor;
  readonly settings?: Partial<LiveSettings>;
  /** A subscriber with more than this queued in its socket skips messages (default 4 MiB). */
  readonly maxBufferedBytes?: number;
}

export interface LiveServer {
  readonly url: string;
  readonly port: number;
  stats(): { cameras: number; clients: number; frames: number; droppedFrames: number; skippedMessages: number };
  close(): Promise<void>;
}

const PAGE_DIR = fileURLToPath(new URL('./page/', import.meta.url));
const PAGE_FILES: Record<string, string> = { '/': 'index.html', '/index.html': 'index.html', '/app.js': 'app.js', '/style.css': 'style.css' };
const CONTENT_TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css' };

/**
 * `spikeflow serve`: the live page at `/` and the stream at `/stream`. A client that connects with
 * `?role=camera` sends camera frames (cameraFrameMessage.ts) and gets everything back; every other client is a
 * subscriber and receives the events, spikes and detections of every camera. Frames are processed in order as
 * they arrive. Flow control sits in the page: it keeps at most two frames unanswered and drops (and counts)
 * camera frames beyond that, so the server's queue is bounded by two frames per camera whatever its speed.
 */
export async function startLiveServer(options: LiveServerOptions): Promise<LiveServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 8080;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('port', port, 'an integer in 0..65535');
  const hub = new ClientHub(options.maxBufferedBytes);
  let frames = 0;
  let droppedFrames = 0;
  let cameras = 0;

  const http = createServer((req, res) => void servePage(req, res));
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 << 20 });
  http.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/stream') {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      hub.add(ws);
      if (url.searchParams.get('role') === 'camera') attachCamera(ws);
    });
  });

  function attachCamera(ws: WebSocket): void {
    cameras++;
    let settings: LiveSettings = { threshold: 0.2, pooling: 4, ...options.settings };
    let processor: LiveProcessor | undefined;
    ws.on('close', () => cameras--);
    try {
      processor = options.createProcessor(settings);
    } catch (error) {
      hub.send(ws, JSON.stringify({ type: 'error', message: (error as Error).message }));
    }
    // The page shows the settings in force (its controls start from them).
    hub.send(ws, JSON.stringify({ type: 'hello', settings }));
    ws.on('message', (data, isBinary) => {
      try {
        if (!isBinary) {
          const message = JSON.parse(data.toString()) as { type?: string; threshold?: unknown; pooling?: unknown };
          if (message.type === 'settings') {
            const next = { ...settings };
            if (message.threshold !== undefined) next.threshold = message.threshold as number;
            if (message.pooling !== undefined) next.pooling = message.pooling as number;
            // Built before it replaces the running one: bad settings leave the session as it was.
            processor = options.createProcessor(next);
            settings = next;
            hub.send(ws, JSON.stringify({ type: 'settings', settings }));
          }
          return;
        }
        if (!processor) throw new ConfigError('settings', settings, 'settings the pipeline accepts (send a settings message)');
        const frame = decodeCameraFrame(toBytes(data));
        frames++;
        const started = performance.now();
        const out = processor.process(frame);
        if (out.layout) hub.broadcast(JSON.stringify({ type: 'layout', ...out.layout }));
        // The boxes first: they are small and what the page's latency is about; the bulky frames follow.
        hub.broadcast(
          JSON.stringify({
            type: 'detections',
            ...out.detections,
            frame: frame.frameId,
            processingMs: Math.round((performance.now() - started) * 100) / 100,
          }),
        );
        hub.broadcast(encodeEventFrame(out.events));
        if (out.spikes) hub.broadcast(encodeSpikeFrame(out.spikes));
        if (frames % 30 === 0) {
          hub.broadcast(JSON.stringify({ type: 'stats', frames, droppedFrames, clients: hub.size, skippedMessages: hub.skipped }));
        }
      } catch (error) {
        // A bad message is reported to its sender and skipped; the session goes on.
        if (isBinary) droppedFrames++;
        hub.send(ws, JSON.stringify({ type: 'error', message: (error as Error).message }));
      }
    });
  }

  await new Promise<void>((resolve, reject) => {
    http.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new ConfigError('port', port, `a free port on ${host} (${port} is in use)`)
          : new ExternalError(`cannot listen on ${host}:${port}: ${error.message}`, { cause: error }),
      ),
    );
    http.listen(port, host, () => resolve());
  });
  const address = http.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${boundPort}`,
    port: boundPort,
    stats: () => ({ cameras, clients: hub.size, frames, droppedFrames, skippedMessages: hub.skipped }),
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

async function servePage(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const file = PAGE_FILES[path];
  if (!file || (req.method !== 'GET' && req.method !== 'HEAD')) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    return;
  }
  const body = await readFile(join(PAGE_DIR, file));
  res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function toBytes(data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (Array.isArray(data)) return Buffer.concat(data as Buffer[]);
  throw new ExternalError('unexpected WebSocket message payload');
}
