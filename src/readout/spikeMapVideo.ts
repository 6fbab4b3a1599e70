import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { rename } from 'node:fs/promises';
import { ExternalError } from '../errors.ts';
import { resolveFfmpeg } from '../sources/ffmpeg.ts';

/**
 * Encodes RGB frames into an mp4 through ffmpeg's stdin. `write` resolves when ffmpeg accepted the frame
 * (back-pressure on the pipe), so a slow encoder slows the pipeline instead of filling memory. The file is
 * written under a temporary name and renamed on `close`.
 */
export class SpikeMapVideo {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly partial: string;
  private stderr = '';
  private failure: Error | undefined;
  private readonly exited: Promise<number | null>;

  constructor(
    readonly path: string,
    readonly width: number,
    readonly height: number,
    fps: number,
    ffmpeg = resolveFfmpeg().path,
  ) {
    this.partial = `${path}.partial.mp4`;
    const args = [
      '-hide_banner', '-loglevel', 'error', '-y',
      '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, '-r', String(fps), '-i', '-',
      // yuv420p needs even sizes: pad by one pixel when the sensor size is odd.
      '-vf', 'pad=ceil(iw/2)*2:ceil(ih/2)*2', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-preset', 'veryfast',
      this.partial,
    ];
    this.child = spawn(ffmpeg, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.on('data', (chunk: Buffer) => {
      if (this.stderr.length < 4000) this.stderr += chunk.toString();
    });
    this.child.stdin.on('error', (error) => (this.failure ??= error));
    this.exited = new Promise((resolve) => {
      this.child.on('error', (error) => {
        this.failure ??= error;
        resolve(null);
      });
      this.child.on('close', (code) => resolve(code));
    });
  }

  private last: Promise<void> = Promise.resolve();

  /** Frames are written in call order, one at a time (at most one wait for 'drain' is pending). */
  write(rgb: Uint8Array): Promise<void> {
    const next = this.last.then(() => this.writeNow(rgb));
    this.last = next.catch(() => undefined);
    return next;
  }

  private async writeNow(rgb: Uint8Array): Promise<void> {
    if (this.failure) throw this.error('failed');
    if (!this.child.stdin.write(rgb)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.child.stdin.off('drain', done);
          this.child.off('close', done);
          resolve();
        };
        this.child.stdin.on('drain', done);
        this.child.on('close', done);
      });
    }
    if (this.failure) throw this.error('failed');
  }

  async close(): Promise<void> {
    await this.last;
    this.child.stdin.end();
    const code = await this.exited;
    if (code !== 0 || this.failure) throw this.error(`exited with code ${code}`);
    await rename(this.partial, this.path);
  }

  /** Stops ffmpeg without finishing the file (on errors and aborts). */
  abort(): void {
    this.child.kill('SIGKILL');
  }

  private error(what: string): ExternalError {
    const detail = this.failure?.message ?? this.stderr.trim();
    return new ExternalError(`ffmpeg (spike map video ${this.path}) ${what}${detail ? `: ${detail}` : ''}`, { cause: this.failure });
  }
}
