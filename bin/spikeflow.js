#!/usr/bin/env node
// Runs the CLI: its compiled JavaScript when it can be had (built on first use and whenever a source changed,
// see compiledCli.js), else the TypeScript through tsx's loader, so that `npx spikeflow` needs no build step.
import { setFlagsFromString } from 'node:v8';

// V8's young generation keeps its initial 2 MB instead of growing to 32 MB: any long run survives enough
// scavenges to grow it to the maximum, which is then a fifth of the process's RSS (detect.json on a 2 GB
// recording: ~155 -> ~125 MB peak) for no measurable CPU (interleaved A/B, 5.2 s either way). Set before any
// of our code runs; the maximum itself (--max-semi-space-size) is fixed when the heap is created.
setFlagsFromString('--semi-space-growth-factor=1');

const { compiledCli } = await import('./compiledCli.js');
const compiled = await compiledCli();
if (compiled) {
  await import(compiled);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
