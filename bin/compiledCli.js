// The CLI compiled to JavaScript by esbuild (which tsx already depends on), cached in
// node_modules/.cache/spikeflow/ and rebuilt whenever a source file it was built from changed.
//
// Why: running the TypeScript through tsx's loader costs a loader thread with its own V8 isolate (about 40 MB
// of RSS for the whole run, issues 3 and 6 ask for ≤ 150 MB). Plain JavaScript needs no loader.
//
// - Freshness: the build records every source file it read (esbuild's metafile) with its size and mtime; a
//   run whose files all still match uses the build, otherwise it builds again (a second or so). Nothing is ever
//   run from a build whose sources changed since.
// - `import.meta.url` is replaced by each source file's own URL, so files found next to a module (the .wasm
//   kernels, the live page, worker entries) are found where they are in the source tree.
// - Each command's heavy modules are loaded on first use (dynamic import → separate chunks), so `info` does not
//   load sharp or the NATS client.
// - Source maps are written beside the chunks: `node --enable-source-maps bin/spikeflow.js …` shows stack traces
//   in the TypeScript sources (not enabled by default: Node would parse them at every start).
// - Builds are written to a fresh directory and published by renaming a small pointer file, so processes
//   starting at the same time never see half a build.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = join(REPO, 'src/cli/main.ts');
const CACHE = join(REPO, 'node_modules/.cache/spikeflow');
const POINTER = join(CACHE, 'current.json');
/** Superseded builds are removed once this old: a process started from one may still load its lazy chunks. */
const KEEP_OLD_BUILD_MS = 24 * 3600 * 1000;

/**
 * The URL of a compiled main module that matches the sources, building it when needed; undefined when no build
 * can be had (esbuild missing, read-only install, build error): the caller falls back to tsx.
 */
export async function compiledCli() {
  if (process.env.SPIKEFLOW_NO_COMPILE === '1') return undefined;
  const fresh = currentBuild();
  if (fresh) return fresh;
  try {
    return await build();
  } catch (error) {
    if (process.env.SPIKEFLOW_DEBUG_COMPILE === '1') process.stderr.write(`spikeflow: compiled CLI unavailable: ${error?.stack ?? error}\n`);
    return undefined;
  }
}

/** The published build when every file it was built from is unchanged. */
function currentBuild() {
  let pointer;
  try {
    pointer = JSON.parse(readFileSync(POINTER, 'utf8'));
  } catch {
    return undefined;
  }
  if (pointer.repo !== REPO || pointer.node !== process.version) return undefined;
  for (const [file, signature] of Object.entries(pointer.inputs)) {
    if (fileSignature(join(REPO, file)) !== signature) return undefined;
  }
  return pathToFileURL(join(CACHE, pointer.build, 'main.js')).href;
}

function fileSignature(path) {
  try {
    const s = statSync(path);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

async function build() {
  const esbuild = await import('esbuild');
  mkdirSync(CACHE, { recursive: true });
  const staging = join(CACHE, `staging-${process.pid}-${Date.now()}`);
  // Signatures are taken before reading, so a file edited during the build makes the build stale, not wrong.
  const signatures = new Map();
  const ownUrl = {
    name: 'own-import-meta-url',
    setup(b) {
      b.onLoad({ filter: /\.[cm]?ts$/ }, (args) => {
        signatures.set(args.path, fileSignature(args.path));
        const source = readFileSync(args.path, 'utf8');
        return { contents: source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts' };
      });
    },
  };
  try {
    const result = await esbuild.build({
      entryPoints: { main: ENTRY },
      outdir: staging,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: `node${process.versions.node.split('.')[0]}`,
      packages: 'external',
      sourcemap: 'linked',
      metafile: true,
      logLevel: 'silent',
      plugins: [ownUrl],
    });
    const inputs = {};
    for (const input of Object.keys(result.metafile.inputs)) {
      const path = resolve(REPO, input);
      inputs[relative(REPO, path)] = signatures.get(path) ?? fileSignature(path);
    }
    const id = createHash('sha256').update(JSON.stringify(inputs)).digest('hex').slice(0, 16);
    const target = join(CACHE, `build-${id}`);
    try {
      renameSync(staging, target);
    } catch {
      // Another process published the same build first.
      rmSync(staging, { recursive: true, force: true });
    }
    const pointerTmp = `${POINTER}.${process.pid}`;
    writeFileSync(pointerTmp, JSON.stringify({ repo: REPO, node: process.version, build: `build-${id}`, inputs }));
    renameSync(pointerTmp, POINTER);
    removeOldBuilds(`build-${id}`);
    return pathToFileURL(join(target, 'main.js')).href;
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

function removeOldBuilds(keep) {
  for (const name of readdirSync(CACHE)) {
    if (name === keep || !(name.startsWith('build-') || name.startsWith('staging-'))) continue;
    const path = join(CACHE, name);
    try {
      if (Date.now() - statSync(path).mtimeMs > KEEP_OLD_BUILD_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // Removed by another process meanwhile.
    }
  }
}
