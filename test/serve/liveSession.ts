import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import WebSocket from 'ws';
import { loadPipeline } from '../../src/pipeline/loadPipeline.ts';
import { createLiveProcessor } from '../../src/serve/createLiveProcessor.ts';
import { startLiveServer, type LiveServer } from '../../src/serve/liveServer.ts';
import { resolveFfmpeg } from '../../src/sources/ffmpeg.ts';
import { REPO } from '../helpers/shared.ts';

/**
 * A real browser on the live page with a fake camera, for the browser test and `bench/live.bench.ts`:
 * Debian's Chromium driven by playwright-core, the camera played from a y4m made here by ffmpeg.
 */
export const CHROMIUM = process.env['SPIKEFLOW_CHROMIUM'] ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const NO_CHROMIUM = `Chromium is absent (${CHROMIUM}; apt-get install chromium, or set SPIKEFLOW_CHROMIUM): browser tests are skipped`;

/** A bright square moving left to right at constant speed over a dark background (camera pixels, seconds). */
export interface SquareScene {
  readonly width: number;
  readonly height: number;
  readonly size: number;
  /** Left edge at t = 0, and speed (px/s); top edge (fixed). */
  readonly x0: number;
  readonly speed: number;
  readonly y: number;
  readonly seconds: number;
  readonly fps: number;
}

export function squareScene(width: number, height: number): SquareScene {
  const k = width / 640;
  return { width, height, size: 80 * k, x0: 40 * k, speed: 120 * k, y: 200 * k, seconds: 4, fps: 30 };
}

/** Writes the scene as a y4m (the format Chromium's fake camera reads) and returns its path. */
export function writeSceneY4m(scene: SquareScene, dir: string): string {
  const path = join(dir, `square-${scene.width}x${scene.height}.y4m`);
  const { width, height, size, x0, speed, y, seconds, fps } = scene;
  const result = spawnSync(
    resolveFfmpeg().path,
    [
      '-v', 'error', '-y',
      '-f', 'lavfi', '-i', `color=c=0x181818:s=${width}x${height}:r=${fps}:d=${seconds}`,
      '-f', 'lavfi', '-i', `color=c=0xF0F0F0:s=${size}x${size}:r=${fps}:d=${seconds}`,
      '-filter_complex', `[0][1]overlay=x='${x0}+t*${speed}':y=${y}:shortest=1,format=yuv420p`,
      path,
    ],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`ffmpeg could not make the test video: ${result.stderr}`);
  return path;
}

/** Luma statistics of frame `index` of a 4:2:0 y4m: bright pixels (> 128) and their mean column. */
export function y4mFrameStats(path: string, width: number, height: number, index: number): { bright: number; meanX: number; max: number } {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(256);
    readSync(fd, head, 0, head.length, 0);
    const headerEnd = head.indexOf(0x0a) + 1;
    const frameBytes = 6 + (width * height * 3) / 2; // "FRAME\n" + Y + U + V
    const luma = Buffer.alloc(width * height);
    readSync(fd, luma, 0, luma.length, headerEnd + index * frameBytes + 6);
    let bright = 0;
    let sumX = 0;
    let max = 0;
    for (let i = 0; i < luma.length; i++) {
      if (luma[i] > max) max = luma[i];
      if (luma[i] > 128) {
        bright++;
        sumX += i % width;
      }
    }
    return { bright, meanX: bright ? sumX / bright : NaN, max };
  } finally {
    closeSync(fd);
  }
}

export interface DetectionMessage {
  type: 'detections';
  t: number;
  width: number;
  height: number;
  frame: number;
  /** Server time spent processing the frame (ms). */
  processingMs: number;
  boxes: { id: number; x: number; y: number; w: number; h: number; score: number }[];
}

export interface LiveSession {
  readonly server: LiveServer;
  readonly page: Page;
  /** Messages received by a second, non-camera WebSocket client of /stream. */
  readonly detections: DetectionMessage[];
  readonly binaryMessages: () => number;
  /** CPU seconds used so far by the browser's processes (Linux /proc; NaN elsewhere). */
  readonly browserCpuSeconds: () => number;
  close(): Promise<void>;
}

/**
 * Starts the server on a free loopback port with `pipelines/detect.json`, a subscriber on /stream, and Chromium
 * on the page with the y4m as its camera. `processingWidth` is the page's downscaled width.
 */
export async function openLiveSession(y4m: string, processingWidth: number): Promise<LiveSession> {
  const { spec } = await loadPipeline(join(REPO, 'pipelines/detect.json'));
  const server = await startLiveServer({ port: 0, settings: { pooling: spec.encoder.pool }, createProcessor: (s) => createLiveProcessor(spec, s) });
  const detections: DetectionMessage[] = [];
  let binary = 0;
  const subscriber = new WebSocket(`${server.url.replace(/^http/, 'ws')}/stream`);
  subscriber.on('message', (data, isBinary) => {
    if (isBinary) {
      binary++;
      return;
    }
    const message = JSON.parse(data.toString()) as { type: string };
    if (message.type === 'detections') detections.push(message as DetectionMessage);
  });
  await new Promise<void>((resolve, reject) => {
    subscriber.once('open', () => resolve());
    subscriber.once('error', reject);
  });
  const profile = mkdtempSync(join(tmpdir(), 'spikeflow-chromium-'));
  let browser: BrowserContext | undefined;
  try {
    // Playwright takes the fresh profile directory itself (it refuses --user-data-dir among the args).
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      viewport: { width: 1100, height: 560 },
      headless: true,
      args: [
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-video-capture=${y4m}`,
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    });
    const page = browser.pages()[0] ?? (await browser.newPage());
    await page.goto(`${server.url}/?width=${processingWidth}`);
    const opened = browser;
    return {
      server,
      page,
      detections,
      binaryMessages: () => binary,
      browserCpuSeconds: () => cpuSecondsOfProcessesWith(profile),
      async close() {
        subscriber.close();
        await opened.close();
        await server.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    subscriber.close();
    await browser?.close();
    await server.close();
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
}

/** Sums utime + stime of every process whose command line contains `marker` (Chromium's profile dir). */
function cpuSecondsOfProcessesWith(marker: string): number {
  if (process.platform !== 'linux') return NaN;
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker)) continue;
      // Fields after the command name in parentheses: utime and stime are the 12th and 13th of those.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended meanwhile.
    }
  }
  return ticks / 100; // USER_HZ is 100 on Linux
}

/** The page's own figures (`window.spikeflowStats`). */
export interface PageStats {
  sent: number;
  dropped: number;
  answered: number;
  detections: number;
  /** Distinct frames the camera delivered to the page. */
  cameraFrames: number;
  medianLatencyMs?: number;
  framesPerSecond: number;
  events: number;
  camera: { width: number; height: number };
  processingWidth: number;
  latenciesMs: number[];
}

export async function pageStats(page: Page): Promise<PageStats | undefined> {
  return page.evaluate(() => (window as unknown as { spikeflowStats?: PageStats }).spikeflowStats);
}

export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
