import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { ConfigError } from '../errors.ts';
import { formatByExtension } from '../formats/registry.ts';
import { VIDEO_EXTENSIONS } from '../sources/parseInput.ts';

export interface Recording {
  /** Absolute path of the recording. */
  readonly path: string;
  /** Output folder name: the file name without its extension, unique within the batch. */
  readonly name: string;
}

/**
 * The recordings named by a folder (its event and video files, not recursive) or a glob whose wildcards
 * (`*`, `?`) are in the last path segment, sorted by path. Names that would collide keep their extension.
 */
export async function listRecordings(folderOrGlob: string): Promise<Recording[]> {
  const isGlob = /[*?]/.test(basename(folderOrGlob));
  const folder = resolve(isGlob ? dirname(folderOrGlob) : folderOrGlob);
  const pattern = isGlob ? globToRegExp(basename(folderOrGlob)) : undefined;
  if (/[*?]/.test(folder)) throw new ConfigError('recordings', folderOrGlob, 'a folder, or a glob with wildcards only in the file name');
  const info = await stat(folder).catch(() => undefined);
  if (!info?.isDirectory()) throw new ConfigError('recordings', folderOrGlob, 'an existing folder or a glob in one');

  const paths: string[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    if (!entry.isFile() || entry.name.startsWith('.')) continue;
    if (pattern ? pattern.test(entry.name) : isRecordingName(entry.name)) paths.push(join(folder, entry.name));
  }
  paths.sort();
  if (paths.length === 0) throw new ConfigError('recordings', folderOrGlob, 'a folder or glob matching at least one recording');
  return nameRecordings(paths);
}

function isRecordingName(name: string): boolean {
  return formatByExtension(name) !== undefined || VIDEO_EXTENSIONS.includes(extname(name).toLowerCase());
}

function nameRecordings(paths: string[]): Recording[] {
  const stems = paths.map((p) => basename(p, extname(p)));
  return paths.map((path, i) => {
    const stem = stems[i]!;
    const unique = stems.filter((s) => s === stem).length === 1;
    return { path, name: unique ? stem : basename(path).replace(/\./g, '_') };
  });
}

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}
