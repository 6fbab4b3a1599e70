import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.ts';
import { checkPipeline, loadPipeline } from '../../src/pipeline/loadPipeline.ts';
import { createLiveProcessor } from '../../src/serve/createLiveProcessor.ts';
import { REPO } from '../helpers/shared.ts';
import { squareFrame } from './movingSquareFrames.ts';

const { spec } = await loadPipeline(`${REPO}/pipelines/detect.json`);

describe('createLiveProcessor (pipelines/detect.json on camera frames)', () => {
  it('tracks a moving square with one box, in the camera frame\'s pixel space', () => {
    const live = createLiveProcessor(spec, { threshold: 0.2, pooling: 4 });
    const first = live.process(squareFrame(0));
    // The first frame only sets the DVS references; the layout is that of the processing frame.
    expect(first.events.length).toBe(0);
    expect(first.layout).toEqual({ cellsX: 40, cellsY: 30, pool: 4, width: 160, height: 120 });
    const centres: { cx: number; cy: number }[] = [];
    for (let k = 1; k < 40; k++) {
      const frame = squareFrame(k);
      const out = live.process(frame);
      expect(out.layout).toBeUndefined();
      expect(out.events.width).toBe(160);
      expect(out.events.length).toBeGreaterThan(100);
      expect(out.detections.width).toBe(320);
      expect(out.detections.height).toBe(240);
      expect(out.detections.t).toBeLessThanOrEqual(frame.t);
      expect(out.spikes?.population).toBe('detect');
      if (k < 3) continue; // the tracker confirms a track after minHits frames
      expect(out.detections.boxes).toHaveLength(1);
      const [b] = out.detections.boxes;
      centres.push({ cx: b.x + b.w / 2, cy: b.y + b.h / 2 });
      // The square is 40×40 camera pixels, centred at y = 2 × 60; its centre at 2 × (20 + 2k).
      expect(b.h).toBeGreaterThanOrEqual(36);
      expect(b.h).toBeLessThanOrEqual(56);
      expect(b.w).toBeGreaterThanOrEqual(36);
      expect(b.w).toBeLessThanOrEqual(56);
      expect(Math.abs(b.y + b.h / 2 - 120)).toBeLessThanOrEqual(4);
      expect(Math.abs(b.x + b.w / 2 - 2 * (20 + 2 * k))).toBeLessThanOrEqual(10);
    }
    // Moving at 4 camera px per frame: the fitted slope over the run.
    const n = centres.length;
    expect((centres[n - 1].cx - centres[0].cx) / (n - 1)).toBeCloseTo(4, 0);
  });

  it('gives no boxes and no events once the scene is still', () => {
    const live = createLiveProcessor(spec, { threshold: 0.2, pooling: 4 });
    for (let k = 0; k < 10; k++) live.process(squareFrame(k));
    const still = squareFrame(9);
    const out = live.process({ ...still, t: still.t + 33_333 });
    expect(out.events.length).toBe(0);
    expect(out.detections.boxes).toEqual([]);
  });

  it('uses the settings: a higher threshold gives fewer events, pooling sets the grid', () => {
    const counts = [0.2, 0.6].map((threshold) => {
      const live = createLiveProcessor(spec, { threshold, pooling: 2 });
      const layout = live.process(squareFrame(0)).layout;
      expect(layout).toMatchObject({ cellsX: 80, cellsY: 60, pool: 2 });
      return live.process(squareFrame(1)).events.length;
    });
    expect(counts[1]).toBeLessThan(counts[0] / 2);
    expect(counts[1]).toBeGreaterThan(0);
  });

  it('starts afresh when the frame size changes', () => {
    const live = createLiveProcessor(spec, { threshold: 0.2, pooling: 4 });
    live.process(squareFrame(0));
    live.process(squareFrame(1));
    const bigger = live.process(squareFrame(2, { width: 320, height: 240 }));
    expect(bigger.layout).toEqual({ cellsX: 80, cellsY: 60, pool: 4, width: 320, height: 240 });
    expect(bigger.events.length).toBe(0);
  });

  it('runs the pipeline\'s filters (a region filter keeps the left half of the frame)', () => {
    const cropped = checkPipeline(
      { source: { type: 'webcam' }, filters: [{ type: 'crop', x: 0, y: 0, width: 80, height: 120 }] },
      REPO,
    );
    const live = createLiveProcessor(cropped, { threshold: 0.2, pooling: 4 });
    live.process(squareFrame(0, { x0: 60 }));
    const out = live.process(squareFrame(1, { x0: 60 }));
    expect(out.events.length).toBeGreaterThan(0);
    let maxX = 0;
    for (let i = 0; i < out.events.length; i++) maxX = Math.max(maxX, out.events.x[i]);
    expect(maxX).toBeLessThan(80);
  });

  it('rejects bad settings and bad filters with a ConfigError naming them', () => {
    expect(() => createLiveProcessor(spec, { threshold: 0, pooling: 4 })).toThrow(ConfigError);
    expect(() => createLiveProcessor(spec, { threshold: 0.2, pooling: 0 })).toThrow(/pooling/);
    const bad = checkPipeline({ source: { type: 'webcam' }, filters: [{ type: 'refractory', periodUs: -1 }] }, REPO);
    expect(() => createLiveProcessor(bad, { threshold: 0.2, pooling: 4 })).toThrow(/filters\[0\]/);
  });

  it('reports a frame that goes back in time and recovers on the next frames', () => {
    const live = createLiveProcessor(spec, { threshold: 0.2, pooling: 4 });
    live.process(squareFrame(0));
    live.process(squareFrame(5));
    expect(() => live.process(squareFrame(1))).toThrow();
    expect(live.process(squareFrame(1)).layout).toBeDefined();
  });
});
