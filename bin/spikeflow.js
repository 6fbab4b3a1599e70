#!/usr/bin/env node
// Runs the CLI: its compiled JavaScript when it can be had (built on first use and whenever a source changed,
// see compiledCli.js), else the TypeScript through tsx's loader, so that `npx spikeflow` needs no build step.
import { compiledCli } from './compiledCli.js';

const compiled = await compiledCli();
if (compiled) {
  await import(compiled);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
