/**
 * Live demo benchmark (issue 7): frame-to-boxes latency (median, p95) and answered frames/s measured by the page
 * itself (`window.spikeflowStats`) in Debian's Chromium with a fake camera (a bright square moving over a dark
 * background, from a y4m made by ffmpeg), at 320×240 and 640×480 processed at full size, and 640×480 processed
 * at the page's default 320 wide. Target: ≤ 40 ms at 640×480, 30 fps. The server's own processing time per
 * frame (from the detection messages) is given beside it, and the same chain is also timed in-process without
 * a browser (the figure that remains when Chromium is absent).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPipeline } from '../src/pipeline/loadPipeline.ts';
import { createLiveProcessor } from '../src/serve/createLiveProcessor.ts';
import { REPO } from '../test/helpers/shared.ts';
import { squareFrame } from '../test/serve/movingSquareFrames.ts';
import { hasChromium, NO_CHROMIUM, openLiveSession, pageStats, percentile, squareScene, writeSceneY4m } from '../test/serve/liveSession.ts';

const WARM_UP_MS = 4000;
const MEASURE_MS = Number(process.env['LIVE_BENCH_MS'] ?? 10_000);
const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

async function inBrowser(width: number, height: number, processingWidth: number, dir: string): Promise<Record<string, unknown>> {
  const y4m = writeSceneY4m(squareScene(width, height), dir);
  const session = await openLiveSession(y4m, processingWidth);
  try {
    await session.page.waitForTimeout(WARM_UP_MS);
    const before = (await pageStats(session.page))!;
    const messagesBefore = session.detections.length;
    const browserCpu0 = session.browserCpuSeconds();
    const nodeCpu0 = process.cpuUsage();
    const t0 = performance.now();
    await session.page.waitForTimeout(MEASURE_MS);
    const after = (await pageStats(session.page))!;
    const seconds = (performance.now() - t0) / 1000;
    const nodeCpu = process.cpuUsage(nodeCpu0);
    const browserCpu = session.browserCpuSeconds() - browserCpu0;
    const answered = after.answered - before.answered;
    // The page keeps its latest 2000 latencies, oldest first: those after the warm-up are the last new ones.
    const fresh = after.latenciesMs.slice(-(after.answered - before.answered));
    const processing = session.detections.slice(messagesBefore).map((m) => m.processingMs);
    const withBoxes = session.detections.slice(messagesBefore).filter((m) => m.boxes.length > 0).length;
    return {
      camera: `${after.camera.width}×${after.camera.height}`,
      processing: `${processingWidth}×${Math.round((processingWidth * height) / width)}`,
      latencyMedianMs: round(percentile(fresh, 0.5)),
      latencyP95Ms: round(percentile(fresh, 0.95)),
      framesPerSecond: round((after.answered - before.answered) / seconds),
      cameraFramesPerSecond: round((after.cameraFrames - before.cameraFrames) / seconds),
      droppedAtPagePerSecond: round((after.dropped - before.dropped) / seconds),
      serverProcessingMedianMs: round(percentile(processing, 0.5), 2),
      serverProcessingP95Ms: round(percentile(processing, 0.95), 2),
      framesWithBoxes: `${withBoxes}/${processing.length}`,
      // Where the CPU goes, per answered frame: the server (this process) and Chromium (all its processes).
      serverCpuMsPerFrame: round((nodeCpu.user + nodeCpu.system) / 1000 / answered),
      browserCpuMsPerFrame: round((browserCpu * 1000) / answered),
      loadAverage1m: round(loadavg()[0], 2),
      targetMet: percentile(fresh, 0.5) <= 40 && (after.answered - before.answered) / seconds >= 27,
    };
  } finally {
    await session.close();
  }
}

/** The server's per-frame work alone: pipelines/detect.json on synthetic moving-square frames. */
async function inProcess(width: number, height: number): Promise<Record<string, unknown>> {
  const { spec } = await loadPipeline(join(REPO, 'pipelines/detect.json'));
  const live = createLiveProcessor(spec, { threshold: 0.2, pooling: spec.encoder.pool });
  const scale = width / 160;
  // The square crosses the frame in 130 frames, then starts again; time goes on at 30 frames/s.
  const frame = (k: number) => ({
    ...squareFrame(k % 130, { width, height, size: 20 * scale, x0: 10 * scale, step: scale, y: 50 * scale, scale: 1 }),
    t: Math.round((k * 1e6) / 30),
  });
  for (let k = 0; k < 60; k++) live.process(frame(k)); // JIT warm-up
  const times: number[] = [];
  let events = 0;
  const cpu0 = process.cpuUsage();
  for (let k = 60; k < 360; k++) {
    const f = frame(k);
    const t0 = performance.now();
    events += live.process(f).events.length;
    times.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpu0);
  return {
    size: `${width}×${height}`,
    msPerFrameMedian: round(percentile(times, 0.5), 2),
    msPerFrameP95: round(percentile(times, 0.95), 2),
    cpuMsPerFrame: round((cpu.user + cpu.system) / 1000 / times.length, 2),
    eventsPerFrame: Math.round(events / times.length),
  };
}

export default async function bench(): Promise<Record<string, unknown>> {
  const result: Record<string, unknown> = {
    inProcess320x240: await inProcess(320, 240),
    inProcess640x480: await inProcess(640, 480),
  };
  if (!hasChromium) return { ...result, browser: NO_CHROMIUM };
  const dir = mkdtempSync(join(tmpdir(), 'spikeflow-live-bench-'));
  try {
    result.browser320x240 = await inBrowser(320, 240, 320, dir);
    result.browser640x480 = await inBrowser(640, 480, 640, dir);
    result.browser640x480at320 = await inBrowser(640, 480, 320, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  result.peakRssBytes = process.resourceUsage().maxRSS * 1024;
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await bench(), null, 2));
