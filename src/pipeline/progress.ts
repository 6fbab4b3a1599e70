/** What a running pipeline reports, about every 100 ms of wall time and once at the end. */
export interface RunProgress {
  /** Events read from the source so far. */
  readonly events: number;
  /** Bytes of the input read so far, and the input's size, when the input is a file. */
  readonly bytesRead: number;
  readonly totalBytes: number | undefined;
  /** Wall time since the start (ms). */
  readonly wallMs: number;
  /** Event time covered so far (µs, from the first event). */
  readonly eventTimeUs: number;
}

/**
 * A one-line progress bar for a TTY: events processed, rate, bytes and ETA when the input size is known.
 * It redraws in place with \r and clears itself when done.
 */
export class ProgressBar {
  private lastDraw = 0;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  update(p: RunProgress): void {
    const now = Date.now();
    if (now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.stream.write(`\r${formatProgress(p, this.stream.columns ?? 80)}\x1b[K`);
  }

  clear(): void {
    this.stream.write('\r\x1b[K');
  }
}

export function formatProgress(p: RunProgress, columns = 80): string {
  const rate = p.wallMs > 0 ? (p.events / p.wallMs) * 1000 : 0;
  const parts = [`${formatCount(p.events)} events`, `${formatCount(rate)} ev/s`];
  let bar = '';
  if (p.totalBytes && p.bytesRead > 0) {
    const fraction = Math.min(1, p.bytesRead / p.totalBytes);
    const eta = fraction > 0 ? (p.wallMs / fraction - p.wallMs) / 1000 : Infinity;
    parts.push(`${(fraction * 100).toFixed(0)}%`, `ETA ${formatSeconds(eta)}`);
    const width = Math.max(10, Math.min(30, columns - 60));
    const filled = Math.round(fraction * width);
    bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] `;
  }
  return `${bar}${parts.join('  ')}`;
}

export function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${s.toFixed(0)}s`;
  return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
}
