import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { DecodeError } from '../errors.ts';

/**
 * A minimal archive of a folder's files, used to carry a job's outputs through the broker:
 * `u32 LE manifest length, manifest JSON [{path, size}], then the files' bytes in manifest order`.
 * Paths are relative with '/' separators; unpacking refuses any path that would leave the target folder.
 */
export async function packDirectory(dir: string): Promise<Uint8Array> {
  const files = await listFiles(dir);
  const contents = await Promise.all(files.map((f) => readFile(join(dir, f))));
  const manifest = files.map((path, i) => ({ path: path.split(sep).join('/'), size: contents[i]!.length }));
  const head = Buffer.from(JSON.stringify(manifest));
  const total = 4 + head.length + contents.reduce((n, c) => n + c.length, 0);
  const out = Buffer.allocUnsafe(total);
  out.writeUInt32LE(head.length, 0);
  head.copy(out, 4);
  let offset = 4 + head.length;
  for (const c of contents) {
    c.copy(out, offset);
    offset += c.length;
  }
  return out;
}

export async function unpackDirectory(archive: Uint8Array, dir: string, name = 'archive'): Promise<void> {
  const bytes = Buffer.from(archive.buffer, archive.byteOffset, archive.byteLength);
  if (bytes.length < 4) throw new DecodeError(name, 0, 'archive shorter than its 4-byte manifest length');
  const headLength = bytes.readUInt32LE(0);
  if (4 + headLength > bytes.length) throw new DecodeError(name, 4, `manifest of ${headLength} bytes runs past the end`);
  let manifest: { path: string; size: number }[];
  try {
    manifest = JSON.parse(bytes.subarray(4, 4 + headLength).toString('utf8'));
  } catch (error) {
    throw new DecodeError(name, 4, 'manifest is not JSON', { cause: error });
  }
  const root = resolve(dir);
  let offset = 4 + headLength;
  for (const entry of manifest) {
    const target = resolve(root, entry.path);
    if (!target.startsWith(root + sep)) throw new DecodeError(name, 4, `entry ${JSON.stringify(entry.path)} leaves the folder`);
    if (offset + entry.size > bytes.length) throw new DecodeError(name, offset, `entry ${entry.path} runs past the end`);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, bytes.subarray(offset, offset + entry.size));
    offset += entry.size;
  }
  if (offset !== bytes.length) throw new DecodeError(name, offset, 'bytes after the last entry');
}

async function listFiles(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full, base)));
    else if ((await stat(full)).isFile()) out.push(relative(base, full));
  }
  return out;
}
