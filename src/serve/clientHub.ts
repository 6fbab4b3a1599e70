import type { WebSocket } from 'ws';

/** A subscriber that has this many bytes queued in its socket skips messages until it catches up. */
export const DEFAULT_MAX_BUFFERED_BYTES = 4 << 20;

/**
 * The WebSocket clients of `/stream`. Sending never waits for a client: one whose socket buffer is over the
 * limit skips the message (counted per client), and a vanished client is forgotten, so the camera path never
 * slows down for a slow or dead subscriber and memory stays bounded.
 */
export class ClientHub {
  private readonly clients = new Map<WebSocket, { skipped: number }>();

  constructor(private readonly maxBufferedBytes = DEFAULT_MAX_BUFFERED_BYTES) {}

  add(socket: WebSocket): void {
    this.clients.set(socket, { skipped: 0 });
    const forget = () => this.clients.delete(socket);
    socket.once('close', forget);
    socket.once('error', forget);
  }

  get size(): number {
    return this.clients.size;
  }

  /** Messages skipped for slow clients, over all clients still connected. */
  get skipped(): number {
    let n = 0;
    for (const c of this.clients.values()) n += c.skipped;
    return n;
  }

  broadcast(message: Uint8Array | string): void {
    for (const [socket, client] of this.clients) this.sendTo(socket, client, message);
  }

  send(socket: WebSocket, message: Uint8Array | string): void {
    const client = this.clients.get(socket);
    if (client) this.sendTo(socket, client, message);
  }

  private sendTo(socket: WebSocket, client: { skipped: number }, message: Uint8Array | string): void {
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > this.maxBufferedBytes) {
      client.skipped++;
      return;
    }
    socket.send(message, (error) => {
      // A send that fails means the client went away; 'close' will remove it.
      if (error) client.skipped++;
    });
  }
}
