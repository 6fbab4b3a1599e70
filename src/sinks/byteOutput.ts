import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';
import { ExternalError } from '../errors.ts';

/**
 * A file (or stdout) that sinks write to, with back-pressure: `write` returns a promise only when the stream's
 * buffer is full, so a file sink blocks the cold source instead of growing memory.
 */
export interface ByteOutput {
  write(chunk: string | Uint8Array): void | Promise<void>;
  /** Flushes; closes the file (stdout stays open). */
  close(): Promise<void>;
}

/** Opens `path` for writing (creating its folder); '-' means stdout. Fails early with a clear error. */
export async function openByteOutput(path: string): Promise<ByteOutput> {
  if (path === '-') return wrap(process.stdout, false, path);
  try {
    await mkdir(dirname(path), { recursive: true });
    const handle = await open(path, 'w');
    return wrap(handle.createWriteStream(), true, path);
  } catch (error) {
    throw new ExternalError(`cannot write ${path}: ${(error as Error).message}`, { cause: error });
  }
}

function wrap(stream: Writable, owned: boolean, path: string): ByteOutput {
  let failure: Error | undefined;
  stream.on('error', (error) => {
    failure = new ExternalError(`writing ${path} failed: ${error.message}`, { cause: error });
  });
  return {
    write(chunk) {
      if (failure) throw failure;
      if (stream.write(chunk)) return undefined;
      return new Promise<void>((resolve, reject) => {
        const done = () => {
          stream.off('drain', done);
          stream.off('error', done);
          if (failure) reject(failure);
          else resolve();
        };
        stream.on('drain', done);
        stream.on('error', done);
      });
    },
    close() {
      if (failure) return Promise.reject(failure);
      return new Promise<void>((resolve, reject) => {
        const finish = (error?: Error | null) => (error || failure ? reject(failure ?? error) : resolve());
        if (owned) stream.end(finish);
        else stream.write('', finish);
      });
    },
  };
}
