import { isAbsolute, relative, resolve } from 'node:path';
import { ConfigError } from '../errors.ts';

/**
 * Resolves a sink's output path against the output directory and refuses any path that leaves it: pipeline
 * files are data, and a pipeline must not write outside `--out`.
 */
export function outputPath(outDir: string, path: string, parameter: string): string {
  const root = resolve(outDir);
  const full = resolve(root, path);
  const inside = relative(root, full);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    throw new ConfigError(parameter, path, `a file path inside the output directory ${root}`);
  }
  return full;
}
