import { from, lastValueFrom, Observable, Subject, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.ts';
import type { Frame } from '../../src/video/frame.ts';
import { framesToEvents } from '../../src/video/framesToEvents.ts';

function frame(level: number, t: number): Frame {
  return { data: new Uint8Array(4).fill(level), width: 2, height: 2, t };
}

describe('framesToEvents', () => {
  it('one batch per frame, the first empty, events of the interval in time order', async () => {
    const batches = await lastValueFrom(
      from([frame(50, 0), frame(100, 1000), frame(100, 2000), frame(50, 3000)]).pipe(framesToEvents({ thresholdSigma: 0 }), toArray()),
    );
    expect(batches.map((b) => b.length)).toEqual([0, 4 * 3, 0, 4 * 3]); // ln 2 / 0.2 → 3 crossings per pixel
    expect([batches[1].width, batches[1].height]).toEqual([2, 2]);
    expect(Array.from(batches[3].p).every((p) => p === 0)).toBe(true);
    expect(batches[1].t[0]).toBeGreaterThan(0);
    expect(batches[1].t[11]).toBeLessThanOrEqual(1000);
  });

  it('each subscription starts a fresh model: same seed, same events', async () => {
    const source = from([frame(30, 0), frame(90, 500), frame(20, 1000)]);
    const op = framesToEvents({ seed: 4 });
    const a = await lastValueFrom(source.pipe(op, toArray()));
    const b = await lastValueFrom(source.pipe(op, toArray()));
    expect(b.map((x) => Array.from(x.t))).toEqual(a.map((x) => Array.from(x.t)));
  });

  it('unsubscribing early unsubscribes from the frame source', async () => {
    const frames = new Subject<Frame>();
    const result = lastValueFrom(frames.pipe(framesToEvents(), take(2), toArray()));
    frames.next(frame(10, 0));
    frames.next(frame(200, 10));
    expect((await result).length).toBe(2);
    expect(frames.observed).toBe(false);
  });

  it('errors: bad options at creation, bad frames and source errors end the stream', async () => {
    expect(() => framesToEvents({ threshold: -1 })).toThrow(ConfigError);
    await expect(lastValueFrom(from([frame(10, 100), frame(10, 50)]).pipe(framesToEvents()))).rejects.toThrow(/frame t/);
    const failing = new Observable<Frame>((s) => s.error(new Error('decoder died')));
    await expect(lastValueFrom(failing.pipe(framesToEvents()))).rejects.toThrow('decoder died');
  });
});
