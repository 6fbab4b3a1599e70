import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * A worker thread running one of our TypeScript modules. We ship no build step, so the thread loads tsx's
 * loader first; it is resolved from this package (not the caller's folder), so `npx spikeflow` works anywhere.
 */
export function startTsWorker(moduleUrl: URL): Worker {
  const require = createRequire(import.meta.url);
  const tsxLoader = pathToFileURL(join(dirname(require.resolve('tsx/package.json')), 'dist', 'loader.mjs')).href;
  return new Worker(moduleUrl, { execArgv: ['--import', tsxLoader] });
}
