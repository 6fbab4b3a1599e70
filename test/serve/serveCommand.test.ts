import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.ts';
import { inputSource } from '../../src/pipeline/inputSource.ts';
import { checkHost, isLoopback, parsePort } from '../../src/serve/serveOptions.ts';
import { resolveFfmpeg } from '../../src/sources/ffmpeg.ts';
import { REPO } from '../helpers/shared.ts';
import { CLI, runCli } from '../helpers/cli.ts';

const spikeflow = runCli;

/** Starts `spikeflow serve`, waits for its first stdout line, returns it with stderr so far and a stopper. */
async function serve(args: string[]): Promise<{ line: string; stderr: () => string; stop: () => Promise<number | null> }> {
  const child = spawn(process.execPath, [...CLI, 'serve', ...args], { cwd: REPO, env: { ...process.env, FORCE_COLOR: '0' } });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      stdout += d;
      if (stdout.includes('\n')) resolve(stdout.split('\n')[0]);
    });
    void exited.then((code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  return {
    line,
    stderr: () => stderr,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

describe('spikeflow serve', () => {
  it('prints the URL on loopback and serves the page until stopped', async () => {
    const server = await serve(['--port', '0']);
    try {
      const match = /^spikeflow serve: (http:\/\/127\.0\.0\.1:(\d+))\/ \(stream: ws:\/\/127\.0\.0\.1:\2\/stream, pipeline .*pipelines\/detect\.json\)$/.exec(server.line);
      expect(match).not.toBeNull();
      const page = await fetch(`${match![1]}/`);
      expect(await page.text()).toContain('<title>spikeflow live</title>');
      expect(server.stderr()).toBe('');
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 30_000);

  it('warns that the stream is reachable from the network on another host', async () => {
    const server = await serve(['--host', '0.0.0.0', '--port', '0']);
    try {
      expect(server.line).toMatch(/^spikeflow serve: http:\/\/0\.0\.0\.0:\d+\//);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(server.stderr()).toMatch(/^spikeflow serve: warning: listening on 0\.0\.0\.0: the live stream .* is reachable from the network/);
    } finally {
      await server.stop();
    }
  }, 30_000);

  it('rejects a bad port or pipeline with the parameter named, exit 1', () => {
    const port = spikeflow(['serve', '--port', '80a']);
    expect(port.status).toBe(1);
    expect(port.stderr).toBe('spikeflow: port: "80a" is not allowed (an integer in 0..65535 (0 picks a free port))\n');
    const pipeline = spikeflow(['serve', '--port', '0', '--pipeline', 'no/such/pipeline.json']);
    expect(pipeline.status).toBe(1);
    expect(pipeline.stderr).toMatch(/^spikeflow: pipeline: "no\/such\/pipeline.json" is not allowed \(a readable pipeline file/);
  }, 30_000);

  it('parses ports and hosts', () => {
    expect(parsePort('0')).toBe(0);
    expect(parsePort(' 8080 ')).toBe(8080);
    expect(parsePort('65535')).toBe(65535);
    for (const bad of ['', '-1', '1e3', '0x50', '65536', '8080.5']) expect(() => parsePort(bad)).toThrow(ConfigError);
    expect(checkHost('::1')).toBe('::1');
    expect(() => checkHost('localhost:80')).toThrow(ConfigError);
    expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost'].map(isLoopback)).toEqual([true, true, true, true]);
    expect(['0.0.0.0', '192.168.1.2', '::', 'example.org'].map(isLoopback)).toEqual([false, false, false, false]);
  });
});

const ffmpeg = (() => {
  try {
    return resolveFfmpeg().path;
  } catch {
    return undefined;
  }
})();

describe('spikeflow run with a webcam source', () => {
  it('reads webcam[:DEVICE] as a camera source for the pipeline', () => {
    expect(inputSource('webcam')).toEqual({ type: 'webcam', device: 'default' });
    expect(inputSource('webcam:2')).toEqual({ type: 'webcam', device: '2' });
    expect(inputSource('webcam:/dev/video3')).toEqual({ type: 'webcam', device: '/dev/video3' });
  });

  // No camera here: a missing device shows that the run goes through the ffmpeg capture path and fails cleanly.
  it.skipIf(!ffmpeg || process.platform !== 'linux')('fails with the device named (and no summary) when the camera is absent', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'spikeflow-webcam-')), 'out');
    const result = spikeflow(['run', 'pipelines/detect.json', '--input', 'webcam:/dev/video-spikeflow-absent', '--out', out]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^spikeflow: ffmpeg .* on webcam \/dev\/video-spikeflow-absent: /);
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
  }, 30_000);
});
