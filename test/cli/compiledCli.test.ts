import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundled, REPO } from '../helpers/shared.ts';

const BIN = join(REPO, 'bin/spikeflow.js');
const POINTER = join(REPO, 'node_modules/.cache/spikeflow/current.json');
const SPARKLERS_FACTS = {
  format: 'evt2', width: 640, height: 480, events: 521252, tFirst: 913716224, tLast: 913812095, on: 185861, off: 335391, triggers: 0,
};

function bin(env: Record<string, string> = {}, ...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd: REPO, encoding: 'utf8', env: { ...process.env, ...env } });
}

interface Pointer {
  repo: string;
  build: string;
  inputs: Record<string, string>;
}

const signature = (file: string) => {
  const s = statSync(join(REPO, file));
  return `${s.size}:${s.mtimeMs}`;
};

describe('bin/spikeflow.js runs the compiled CLI (no loader thread), rebuilt when a source changed', () => {
  it('prints the same facts compiled and through tsx, and records what the build was made from', () => {
    const compiled = bin({}, 'info', '--json', bundled('evt2/expelliarmus_evt2_sparklers.raw'));
    expect(compiled.stderr).toBe('');
    expect(JSON.parse(compiled.stdout)).toEqual(SPARKLERS_FACTS);
    const viaTsx = bin({ SPIKEFLOW_NO_COMPILE: '1' }, 'info', '--json', bundled('evt2/expelliarmus_evt2_sparklers.raw'));
    expect(viaTsx.stdout).toBe(compiled.stdout);

    const pointer = JSON.parse(readFileSync(POINTER, 'utf8')) as Pointer;
    expect(pointer.repo).toBe(REPO);
    // Every command's sources are in the build, each with the signature it had when read.
    for (const file of ['src/cli/main.ts', 'src/cli/commands/run.ts', 'src/sources/openEventFile.ts', 'src/formats/evt2/decoder.ts']) {
      expect(pointer.inputs[file], file).toBe(signature(file));
    }
    expect(statSync(join(REPO, 'node_modules/.cache/spikeflow', pointer.build, 'main.js')).isFile()).toBe(true);
  });

  it('rebuilds when a source file no longer matches the build', () => {
    bin({}, '--help');
    const pointer = JSON.parse(readFileSync(POINTER, 'utf8')) as Pointer;
    const file = 'src/formats/evt2/decoder.ts';
    writeFileSync(POINTER, JSON.stringify({ ...pointer, build: 'build-does-not-exist', inputs: { ...pointer.inputs, [file]: 'stale' } }));
    const run = bin({}, 'info', '--json', bundled('evt2/expelliarmus_evt2_sparklers.raw'));
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual(SPARKLERS_FACTS);
    const rebuilt = JSON.parse(readFileSync(POINTER, 'utf8')) as Pointer;
    expect(rebuilt.inputs[file]).toBe(signature(file));
    expect(statSync(join(REPO, 'node_modules/.cache/spikeflow', rebuilt.build, 'main.js')).isFile()).toBe(true);
  });
});
