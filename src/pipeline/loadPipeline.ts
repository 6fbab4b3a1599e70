import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ConfigError } from '../errors.ts';
import { pipelineChecker, type PipelineSpec, type SourceSpec } from './pipelineSpec.ts';

/** A checked pipeline with every input path made absolute (relative to the pipeline file). */
export interface LoadedPipeline {
  readonly path: string;
  readonly spec: PipelineSpec;
}

/**
 * Reads and checks a pipeline file. The file is data: JSON only, nothing in it is executed; paths in it are
 * relative to the file itself, so a pipeline works from any working directory.
 */
export async function loadPipeline(pipelinePath: string): Promise<LoadedPipeline> {
  const path = resolve(pipelinePath);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError('pipeline', pipelinePath, `a readable pipeline file (${(error as Error).message})`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError('pipeline', pipelinePath, `a JSON file (${(error as Error).message})`, { cause: error });
  }
  return { path, spec: resolvePaths(pipelineChecker(json, ''), dirname(path)) };
}

/** Checks a pipeline given as a value (for callers that build one in code); paths are relative to `baseDir`. */
export function checkPipeline(json: unknown, baseDir: string): PipelineSpec {
  return resolvePaths(pipelineChecker(json, ''), baseDir);
}

function resolvePaths(spec: PipelineSpec, baseDir: string): PipelineSpec {
  const at = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));
  const source: SourceSpec = 'path' in spec.source ? { ...spec.source, path: at(spec.source.path) } : spec.source;
  const network = spec.network.type === 'file' ? { ...spec.network, path: at(spec.network.path) } : spec.network;
  return { ...spec, source, network };
}
