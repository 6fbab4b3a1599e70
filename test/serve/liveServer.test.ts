import { EventEmitter } from 'node:events';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ConfigError, DecodeError } from '../../src/errors.ts';
import { loadPipeline } from '../../src/pipeline/loadPipeline.ts';
import { decodeCameraFrame, encodeCameraFrame, type CameraFrame } from '../../src/serve/cameraFrameMessage.ts';
import { ClientHub } from '../../src/serve/clientHub.ts';
import { createLiveProcessor } from '../../src/serve/createLiveProcessor.ts';
import { startLiveServer, type LiveServer } from '../../src/serve/liveServer.ts';
import { decodeFrame } from '../../src/wire/eventFrame.ts';
import { REPO } from '../helpers/shared.ts';
import { squareFrame } from './movingSquareFrames.ts';

const { spec } = await loadPipeline(`${REPO}/pipelines/detect.json`);

/** Waits (up to 10 s) until `ready()` holds: messages sent to another client may still be in flight. */
async function until(ready: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !ready(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** A frame of seeded random grey levels: nearly every pixel fires several events. */
function noiseFrame(k: number): CameraFrame {
  const width = 160;
  const height = 120;
  const data = new Uint8Array(width * height);
  let state = (k + 1) * 0x9e3779b1;
  for (let i = 0; i < data.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    data[i] = state & 0xff;
  }
  return { data, width, height, cameraWidth: width, cameraHeight: height, frameId: k + 1, t: Math.round((k * 1e6) / 30) };
}

describe('camera frame message', () => {
  const frame = squareFrame(3);
  const bytes = encodeCameraFrame(frame);

  it('round-trips every field', () => {
    const back = decodeCameraFrame(bytes);
    expect(back).toMatchObject({ width: 160, height: 120, cameraWidth: 320, cameraHeight: 240, frameId: 4, t: frame.t });
    expect(back.data).toEqual(frame.data);
  });

  it('names the offset and what was expected for each fault', () => {
    const fault = (b: Uint8Array) => {
      try {
        decodeCameraFrame(b, 'ws');
      } catch (error) {
        expect(error).toBeInstanceOf(DecodeError);
        return (error as DecodeError).message;
      }
      throw new Error('no error');
    };
    expect(fault(bytes.subarray(0, 20))).toBe('ws: at byte 20: a 32-byte camera frame header');
    const magic = bytes.slice();
    magic[0] = 0x58;
    expect(fault(magic)).toBe('ws: at byte 0: the magic "SFRM"');
    const version = bytes.slice();
    version[4] = 2;
    expect(fault(version)).toBe('ws: at byte 4: camera frame version 1 (got 2)');
    const empty = bytes.slice(0, 32);
    empty[8] = 0;
    empty[9] = 0;
    expect(fault(empty)).toBe('ws: at byte 8: a non-empty frame (got 0×120)');
    expect(fault(bytes.subarray(0, bytes.length - 1))).toBe(`ws: at byte ${bytes.length - 1}: ${bytes.length} bytes for a 160×120 frame (got ${bytes.length - 1})`);
  });
});

/** A stand-in for a ws socket: records what it was sent, with a settable backlog. */
class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  readonly sent: unknown[] = [];
  send(message: unknown, done: (error?: Error) => void): void {
    this.sent.push(message);
    done();
  }
}

describe('ClientHub', () => {
  it('skips messages for a client with a full socket buffer, keeps sending to the others', () => {
    const hub = new ClientHub(1000);
    const fast = new FakeSocket();
    const slow = new FakeSocket();
    hub.add(fast as never);
    hub.add(slow as never);
    hub.broadcast('a');
    slow.bufferedAmount = 5000;
    hub.broadcast('b');
    hub.broadcast('c');
    slow.bufferedAmount = 0;
    hub.broadcast('d');
    expect(fast.sent).toEqual(['a', 'b', 'c', 'd']);
    expect(slow.sent).toEqual(['a', 'd']);
    expect(hub.skipped).toBe(2);
  });

  it('forgets a client that closed or failed', () => {
    const hub = new ClientHub();
    const a = new FakeSocket();
    const b = new FakeSocket();
    hub.add(a as never);
    hub.add(b as never);
    a.emit('close');
    b.readyState = 3;
    hub.broadcast('x');
    expect(hub.size).toBe(1);
    expect(a.sent).toEqual([]);
    expect(b.sent).toEqual([]);
    b.emit('error', new Error('reset'));
    expect(hub.size).toBe(0);
  });
});

describe('live server', () => {
  let server: LiveServer | undefined;
  const sockets: WebSocket[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.terminate();
    await server?.close();
    server = undefined;
  });

  async function start(maxBufferedBytes?: number): Promise<LiveServer> {
    server = await startLiveServer({ port: 0, maxBufferedBytes, createProcessor: (s) => createLiveProcessor(spec, s) });
    return server;
  }

  async function connect(path: string): Promise<{ socket: WebSocket; json: Record<string, unknown>[]; binary: Buffer[] }> {
    const socket = new WebSocket(`${server!.url.replace(/^http/, 'ws')}${path}`);
    sockets.push(socket);
    const json: Record<string, unknown>[] = [];
    const binary: Buffer[] = [];
    socket.on('message', (data, isBinary) => (isBinary ? binary.push(data as Buffer) : json.push(JSON.parse(data.toString()))));
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    return { socket, json, binary };
  }

  /** Sends camera frames one at a time, each after the previous one's detections came back. */
  async function sendFrames(
    camera: { socket: WebSocket; json: Record<string, unknown>[] },
    from: number,
    to: number,
    makeFrame: (k: number) => CameraFrame = squareFrame,
  ): Promise<void> {
    for (let k = from; k < to; k++) {
      const answered = new Promise<void>((resolve) => {
        const onMessage = (data: WebSocket.RawData, isBinary: boolean) => {
          if (isBinary) return;
          const m = JSON.parse(data.toString());
          if ((m.type === 'detections' && m.frame === k + 1) || m.type === 'error') {
            camera.socket.off('message', onMessage);
            resolve();
          }
        };
        camera.socket.on('message', onMessage);
      });
      camera.socket.send(encodeCameraFrame(makeFrame(k)));
      await answered;
    }
  }

  it('serves the page and nothing else; /stream is the only WebSocket path', async () => {
    await start();
    const page = await fetch(`${server!.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('<script type="module" src="app.js">');
    expect((await fetch(`${server!.url}/app.js`)).headers.get('content-type')).toBe('text/javascript');
    expect((await fetch(`${server!.url}/../package.json`)).status).toBe(404);
    expect((await fetch(`${server!.url}/secret`)).status).toBe(404);
    const wrong = new WebSocket(`${server!.url.replace(/^http/, 'ws')}/other`);
    await expect(new Promise((resolve, reject) => wrong.once('open', resolve).once('error', reject))).rejects.toThrow(/404/);
  });

  it('sends a non-camera client the events, spikes and boxes of the camera (boxes in camera pixels)', async () => {
    await start();
    const camera = await connect('/stream?role=camera');
    const subscriber = await connect('/stream');
    await sendFrames(camera, 0, 12);
    await until(() => subscriber.json.filter((m) => m.type === 'detections').length >= 12);
    expect(camera.json[0]).toEqual({ type: 'hello', settings: { threshold: 0.2, pooling: 4 } });
    expect(subscriber.json.find((m) => m.type === 'hello')).toBeUndefined();
    const layout = subscriber.json.find((m) => m.type === 'layout');
    expect(layout).toEqual({ type: 'layout', cellsX: 40, cellsY: 30, pool: 4, width: 160, height: 120 });
    const detections = subscriber.json.filter((m) => m.type === 'detections');
    expect(detections.map((m) => m.frame)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const last = detections[11] as { width: number; height: number; t: number; boxes: { x: number; w: number; y: number; h: number }[] };
    expect([last.width, last.height]).toEqual([320, 240]);
    expect(last.t).toBeLessThanOrEqual(squareFrame(11).t);
    expect(last.boxes).toHaveLength(1);
    expect(Math.abs(last.boxes[0].x + last.boxes[0].w / 2 - 2 * (20 + 2 * 11))).toBeLessThanOrEqual(10);
    // Binary SPKF frames: one event frame per camera frame, with the processing size, and detection-layer spikes.
    const decoded = subscriber.binary.map((b) => decodeFrame(new Uint8Array(b)));
    const events = decoded.filter((f) => f.kind === 'events');
    expect(events).toHaveLength(12);
    expect(events.every((f) => f.kind === 'events' && f.events.width === 160)).toBe(true);
    expect(decoded.some((f) => f.kind === 'spikes' && f.spikes.population === 'detect' && f.spikes.length > 0)).toBe(true);
  });

  it('keeps the camera path going past a subscriber that stopped reading and one that vanished', async () => {
    await start(64 * 1024);
    const camera = await connect('/stream?role=camera');
    const healthy = await connect('/stream');
    const stalled = await connect('/stream');
    const vanished = await connect('/stream');
    // The stalled client stops reading its TCP socket: the server's send buffer for it fills up.
    (stalled.socket as unknown as { _socket: { pause(): void } })._socket.pause();
    // Frames of random grey levels: ~100k events (~0.9 MB on the wire) each, more than the sockets' buffers hold.
    await sendFrames(camera, 0, 3, noiseFrame);
    (vanished.socket as unknown as { _socket: { destroy(): void } })._socket.destroy();
    await sendFrames(camera, 3, 20, noiseFrame);
    await until(() => healthy.json.filter((m) => m.type === 'detections').length >= 20);
    const stats = server!.stats();
    expect(stats.frames).toBe(20);
    expect(stats.droppedFrames).toBe(0);
    expect(stats.skippedMessages).toBeGreaterThan(0);
    expect(stats.clients).toBe(3); // camera, healthy, stalled
    expect(healthy.json.filter((m) => m.type === 'detections')).toHaveLength(20);
    expect(healthy.binary.length).toBeGreaterThanOrEqual(20);
    expect(stalled.json.filter((m) => m.type === 'detections').length).toBeLessThan(20);
  });

  it('reports a bad frame or bad settings to the camera and goes on', async () => {
    await start();
    const camera = await connect('/stream?role=camera');
    await sendFrames(camera, 0, 2);
    camera.socket.send(new Uint8Array(10));
    camera.socket.send(JSON.stringify({ type: 'settings', pooling: 0 }));
    camera.socket.send(JSON.stringify({ type: 'settings', pooling: 2, threshold: 0.3 }));
    await sendFrames(camera, 2, 4);
    const errors = camera.json.filter((m) => m.type === 'error').map((m) => m.message);
    expect(errors).toEqual(['camera frame: at byte 10: a 32-byte camera frame header', 'pooling: 0 is not allowed (an integer in 1..256)']);
    expect(camera.json.find((m) => m.type === 'settings')).toEqual({ type: 'settings', settings: { threshold: 0.3, pooling: 2 } });
    // The new settings rebuilt the processor: a new layout with 2-pixel cells.
    expect(camera.json.filter((m) => m.type === 'layout').map((m) => m.pool)).toEqual([4, 2]);
    expect(server!.stats().droppedFrames).toBe(1);
  });

  it('rejects a bad or busy port with a ConfigError', async () => {
    const make = (port: number) => startLiveServer({ port, createProcessor: (s) => createLiveProcessor(spec, s) });
    await expect(make(70000)).rejects.toThrow(ConfigError);
    await expect(make(-1)).rejects.toThrow('port: -1 is not allowed (an integer in 0..65535)');
    await expect(make(1.5)).rejects.toThrow(ConfigError);
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      await expect(make(port)).rejects.toThrow(`port: ${port} is not allowed (a free port on 127.0.0.1 (${port} is in use))`);
    } finally {
      busy.close();
    }
  });
});
