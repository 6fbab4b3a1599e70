import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DecodeError } from '../../src/errors.ts';
import { fromFile } from '../../src/sources/fromFile.ts';
import { bundled } from '../helpers/shared.ts';

const SPARKLERS = bundled('evt2/expelliarmus_evt2_sparklers.raw');

/** How many descriptors of this process are open on `path` (Linux /proc). */
function openDescriptors(path: string): number {
  let n = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === path) n++;
    } catch {
      // The descriptor of the directory listing itself is gone by now.
    }
  }
  return n;
}

/** FileHandle is not exported by node:fs/promises; its prototype is reachable from any open handle. */
async function fileHandlePrototype() {
  const handle = await open(SPARKLERS, 'r');
  await handle.close();
  return Object.getPrototypeOf(handle) as { read(...args: unknown[]): Promise<unknown> };
}

afterEach(() => vi.restoreAllMocks());

describe('fromFile', () => {
  it('delivers the whole recording in batches (cold: each subscription reads anew)', async () => {
    const source = fromFile(SPARKLERS, { chunkSize: 1 << 18 });
    for (let round = 0; round < 2; round++) {
      const batches = await lastValueFrom(source.pipe(toArray()));
      expect(batches.length).toBeGreaterThanOrEqual(8);
      expect(batches.reduce((n, b) => n + b.length, 0)).toBe(521252);
    }
  });

  it.skipIf(!existsSync('/proc/self/fd'))('unsubscribing after the first batch stops reading and closes the file', async () => {
    const read = vi.spyOn(await fileHandlePrototype(), 'read');
    expect(openDescriptors(SPARKLERS)).toBe(0);
    let openWhileReading = -1;
    await new Promise<void>((resolve) => {
      const subscription = fromFile(SPARKLERS, { chunkSize: 4096 }).subscribe(() => {
        openWhileReading = openDescriptors(SPARKLERS);
        subscription.unsubscribe();
        resolve();
      });
    });
    expect(openWhileReading).toBe(1);
    await vi.waitFor(() => expect(openDescriptors(SPARKLERS)).toBe(0));
    // The sniff reads once and the reader once or twice: not the 515 reads of the whole file.
    const reads = read.mock.calls.length;
    expect(reads).toBeLessThan(5);
    await new Promise((r) => setTimeout(r, 50));
    expect(read.mock.calls.length).toBe(reads);
  });

  it('is pull-paced: nothing is read beyond the batch being handled', async () => {
    const proto = await fileHandlePrototype();
    const read = vi.spyOn(proto, 'read');
    let batches = 0;
    await new Promise<void>((resolve) => {
      const subscription = fromFile(SPARKLERS, { chunkSize: 4096 }).subscribe((batch) => {
        batches++;
        expect(batch.length).toBeGreaterThan(0);
        // Each batch comes from one read: reads never run ahead of the consumer.
        expect(read.mock.calls.length).toBeLessThanOrEqual(batches + 1);
        if (batches === 20) {
          subscription.unsubscribe();
          resolve();
        }
      });
    });
    expect(batches).toBe(20);
  });

  it('a missing file ends the stream with a DecodeError naming it', async () => {
    await expect(firstValueFrom(fromFile('/nonexistent/x.raw'))).rejects.toThrow(DecodeError);
    await expect(firstValueFrom(fromFile('/nonexistent/x.raw'))).rejects.toThrow(/\/nonexistent\/x.raw: at byte 0: cannot open/);
  });
});
