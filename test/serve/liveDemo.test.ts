import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/shared.ts';
import {
  hasChromium,
  NO_CHROMIUM,
  openLiveSession,
  pageStats,
  percentile,
  squareScene,
  writeSceneY4m,
  y4mFrameStats,
  type DetectionMessage,
} from './liveSession.ts';

if (!hasChromium) console.warn(`liveDemo.test.ts: ${NO_CHROMIUM}`);

const ARTIFACTS = join(REPO, 'test-artifacts');

/** The box centres of the largest box of each message that has one (camera pixels, page time in s). */
function centres(messages: readonly DetectionMessage[]): { t: number; cx: number; cy: number; w: number; h: number }[] {
  const out = [];
  for (const m of messages) {
    if (m.boxes.length === 0) continue;
    const b = m.boxes.reduce((a, c) => (c.w * c.h > a.w * a.h ? c : a));
    out.push({ t: m.t / 1e6, cx: b.x + b.w / 2, cy: b.y + b.h / 2, w: b.w, h: b.h });
  }
  return out;
}

/** Runs of centres whose x never steps back by more than `slack` px (the fake camera loops the file). */
function monotonicStretches<T extends { cx: number }>(points: readonly T[], slack: number): T[][] {
  const runs: T[][] = [];
  let run: T[] = [];
  for (const p of points) {
    if (run.length > 0 && p.cx < run[run.length - 1].cx - slack) {
      runs.push(run);
      run = [];
    }
    run.push(p);
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

function slope(points: readonly { t: number; cx: number }[]): number {
  const n = points.length;
  const mt = points.reduce((s, p) => s + p.t, 0) / n;
  const mx = points.reduce((s, p) => s + p.cx, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - mt) * (p.cx - mx);
    den += (p.t - mt) ** 2;
  }
  return num / den;
}

describe.skipIf(!hasChromium)('live demo in Chromium with a fake camera (a square moving across a dark background)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spikeflow-live-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a second WebSocket client receives boxes that follow the square, in camera pixels', async () => {
    // 640×480 camera, processed at 320 wide: the boxes must still come back in the camera's pixels.
    const scene = squareScene(640, 480);
    const y4m = writeSceneY4m(scene, dir);
    const first = y4mFrameStats(y4m, 640, 480, 0);
    const later = y4mFrameStats(y4m, 640, 480, 60);
    expect(first.bright).toBe(scene.size * scene.size); // not black: the square is there ...
    expect(first.meanX).toBeCloseTo(scene.x0 + scene.size / 2 - 0.5, 0);
    expect(later.meanX).toBeCloseTo(scene.x0 + scene.speed * 2 + scene.size / 2 - 0.5, 0); // ... and moving

    const session = await openLiveSession(y4m, 320);
    try {
      // Long enough for at least one whole pass of the square (the file lasts 4 s and loops).
      await session.page.waitForFunction(() => (window as unknown as { spikeflowStats?: { answered: number } }).spikeflowStats?.answered! > 0, undefined, { timeout: 20_000 });
      await session.page.waitForTimeout(7000);
      const stats = (await pageStats(session.page))!;
      mkdirSync(ARTIFACTS, { recursive: true });
      await session.page.screenshot({ path: join(ARTIFACTS, 'live-demo.png') });
      const latencies = stats.latenciesMs.slice(-150);
      console.log(
        `live demo 640×480 camera, processed at 320×240: frame→boxes latency median ${percentile(latencies, 0.5).toFixed(1)} ms, ` +
          `p95 ${percentile(latencies, 0.95).toFixed(1)} ms, ${stats.framesPerSecond.toFixed(1)} frames/s, ` +
          `${stats.sent} sent, ${stats.dropped} dropped at the page, ${session.server.stats().skippedMessages} skipped messages`,
      );

      expect(stats.camera).toEqual({ width: 640, height: 480 });
      expect(stats.events).toBeGreaterThan(0);
      expect(await session.page.textContent('#status')).toBe('Streaming');
      expect(session.binaryMessages()).toBeGreaterThan(20); // the subscriber gets the event and spike frames too
      const messages = session.detections;
      expect(messages.length).toBeGreaterThan(40); // ≥ 6 frames/s even on a busy machine
      expect(messages.every((m) => m.width === 640 && m.height === 480)).toBe(true);
      const points = centres(messages);
      expect(points.length).toBeGreaterThan(messages.length / 2);
      const centreY = scene.y + scene.size / 2;
      const firstX = scene.x0 + scene.size / 2;
      const lastX = firstX + scene.speed * scene.seconds;
      for (const p of points) {
        expect(Math.abs(p.cy - centreY)).toBeLessThanOrEqual(16);
        expect(p.cx).toBeGreaterThanOrEqual(firstX - 24);
        expect(p.cx).toBeLessThanOrEqual(lastX + 24);
        expect(p.h).toBeGreaterThanOrEqual(scene.size * 0.75);
        expect(p.h).toBeLessThanOrEqual(scene.size * 1.5);
      }
      // Over the longest pass, x grows at the square's speed (page clock; the fake camera plays in real time).
      const longest = monotonicStretches(points, 24).reduce((a, b) => (b.length > a.length ? b : a));
      expect(longest[longest.length - 1].t - longest[0].t).toBeGreaterThan(1.5);
      const speed = slope(longest);
      console.log(`box centre speed over a ${(longest[longest.length - 1].t - longest[0].t).toFixed(2)} s pass: ${speed.toFixed(1)} px/s (square: ${scene.speed})`);
      expect(speed).toBeGreaterThan(scene.speed * 0.75);
      expect(speed).toBeLessThan(scene.speed * 1.25);
    } finally {
      await session.close();
    }
  }, 90_000);
});
