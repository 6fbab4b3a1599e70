import { lastValueFrom, map, Subject, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { bundledFfmpeg } from '../../src/sources/ffmpeg.ts';
import { dropWhenBusy } from '../../src/sources/dropWhenBusy.ts';
import { fromWebcamFrames } from '../../src/sources/fromWebcam.ts';

const FFMPEG = bundledFfmpeg();

function busyWait(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    /* a slow pipeline stage */
  }
}

describe('dropWhenBusy', () => {
  it('keeps at most `capacity` items, drops the oldest and counts them', async () => {
    const source = new Subject<number>();
    const drops: number[] = [];
    const received: number[] = [];
    const done = lastValueFrom(source.pipe(dropWhenBusy({ capacity: 2, onDrop: (d) => drops.push(d) }), toArray()));
    for (let i = 0; i < 5; i++) source.next(i); // all arrive before the first delivery
    source.complete();
    received.push(...(await done));
    expect(received).toEqual([3, 4]);
    expect(drops).toEqual([1, 2, 3]);
  });

  it('passes errors after the queued items and stops on unsubscribe', async () => {
    const source = new Subject<number>();
    const seen: number[] = [];
    const result = new Promise((resolve) => source.pipe(dropWhenBusy({ capacity: 2 })).subscribe({ next: (v) => seen.push(v), error: resolve }));
    source.next(1);
    source.error(new Error('boom'));
    expect(((await result) as Error).message).toBe('boom');
    expect(seen).toEqual([1]);
    const early = new Subject<number>();
    const got: number[] = [];
    const sub = early.pipe(dropWhenBusy({ capacity: 1 })).subscribe((v) => got.push(v));
    early.next(1);
    sub.unsubscribe();
    await new Promise((r) => setImmediate(r));
    expect(got).toEqual([]);
    expect(early.observed).toBe(false);
  });
});

describe.skipIf(!FFMPEG)('live (hot) frames through the webcam path, fed by a real-time lavfi source', () => {
  it('drops and counts whole frames when the pipeline is slower than the camera', async () => {
    let dropped = 0;
    const frames = await lastValueFrom(
      fromWebcamFrames(undefined, {
        ffmpegPath: FFMPEG,
        // -re: the test source runs at its real 100 fps, like a camera.
        inputArgs: ['-re', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=100'],
        onDrop: (d) => (dropped = d),
      }).pipe(
        take(6),
        map((frame) => (busyWait(60), frame)), // a 60 ms stage: 6 camera frames pass meanwhile
        toArray(),
      ),
    );
    expect(frames.length).toBe(6);
    const gaps = frames.slice(1).map((f, i) => f.t - frames[i].t);
    // Frames were skipped: delivered frames are several camera periods (10 ms) apart, and the drops counted.
    expect(Math.max(...gaps)).toBeGreaterThan(20_000);
    expect(dropped).toBeGreaterThan(0);
  });
});
