import { isAbsolute, relative, resolve } from 'node:path';
import { ConfigError } from '../errors.ts';

/**
 * A path for an output named in a pipeline file, resolved inside the output directory. Pipeline files are data:
 * whatever they say, a run writes only under `--out`, so absolute paths and `..` that leave it are refused.
 */
export function insideOut(outDir: string, path: string, keyPath: string): string {
  const root = resolve(outDir);
  const full = resolve(root, path);
  const rel = relative(root, full);
  if (rel === '' || rel === '..' || rel.startsWith(`..${'/'}`) || rel.startsWith('..\\') || isAbsolute(rel)) {
    throw new ConfigError(keyPath, path, `a path inside the output directory ${root}`);
  }
  return full;
}
