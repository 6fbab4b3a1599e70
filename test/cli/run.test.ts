import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundled } from '../helpers/shared.ts';
import { runCli } from '../helpers/cli.ts';

const spikeflow = runCli;

describe('spikeflow run', () => {
  it('runs a pipeline with --input and --out, prints a one-line summary naming the output dir', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'spikeflow-cli-')), 'out');
    const result = spikeflow(['run', 'pipelines/detect.json', '--input', bundled('evt3/expelliarmus_evt3_pedestrians_5000ev.raw'), '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^spikeflow run: 5000 events \(4963 after filters\), .* detections \(\d+ tracks\), \d+ spike maps in [\d.]+ s \([\d.]+× real time\) → .*out\/$/);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.events).toBe(5000);
    expect(existsSync(join(out, 'detections.ndjson'))).toBe(true);
  });

  it('reports a pipeline error with its key path on stderr and exits 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spikeflow-cli-'));
    const pipeline = join(dir, 'bad.json');
    writeFileSync(pipeline, JSON.stringify({ source: { type: 'file', path: 'x.raw' }, filters: [{ type: 'backgroundActivity', windowUs: -3 }] }));
    const result = spikeflow(['run', pipeline, '--out', join(dir, 'out')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^spikeflow: filters\[0\]\.windowUs: -3 is not allowed/);
    expect(result.stdout).toBe('');
  });
});
