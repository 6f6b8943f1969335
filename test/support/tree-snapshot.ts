import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/**
 * Every directory and file under `root`, relative to it: a directory maps to `dir`, a file to the sha1 of its
 * bytes. Two equal snapshots mean nothing was added, removed or changed (hidden staging files included).
 */
export async function treeSnapshot(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!existsSync(root)) return out;
  const entries = (await readdir(root, { recursive: true, withFileTypes: true })).sort((a, b) => join(a.parentPath, a.name).localeCompare(join(b.parentPath, b.name)));
  for (const e of entries) {
    const abs = join(e.parentPath, e.name);
    out.set(relative(root, abs), e.isDirectory() ? 'dir' : createHash('sha1').update(await readFile(abs)).digest('hex'));
  }
  return out;
}
