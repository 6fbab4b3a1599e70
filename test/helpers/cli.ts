import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from './shared.ts';

/**
 * Node arguments that start the CLI as users do: bin/spikeflow.js runs the compiled build (rebuilt whenever a
 * source changed), which starts several times faster than the TypeScript through tsx's loader thread — what
 * keeps the spawning tests well inside their timeouts when the suite runs them in parallel on a loaded machine.
 */
export const CLI = [join(REPO, 'bin/spikeflow.js')];

/** Runs `spikeflow ARGS` to completion from the repository root, colours off. */
export function runCli(args: readonly string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [...CLI, ...args], { cwd: REPO, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
}
