import { Worker } from 'node:worker_threads';

/**
 * A worker thread running one of our TypeScript modules. We ship no build step, so the thread starts in a
 * small JavaScript entry that installs tsx's loader and then imports the module.
 */
export function startTsWorker(moduleUrl: URL): Worker {
  return new Worker(new URL('./tsWorkerEntry.mjs', import.meta.url), { workerData: { module: moduleUrl.href } });
}
