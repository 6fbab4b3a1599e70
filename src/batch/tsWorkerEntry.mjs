// Entry of our worker threads: installs tsx's loader in this thread, then loads the TypeScript module named by
// workerData.module. (A worker's execArgv `--import` is not applied before its main module on Node 20.)
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.module);
