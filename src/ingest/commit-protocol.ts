import type { FileSystem } from '../storage/file-system.js';
import type { ManifestFile } from './target-writer.js';
import { failpoint } from '../util/failpoint.js';

/** `_manifests/<run_id>.json`: what one run committed to a target. */
export interface Manifest {
  run_id: string;
  writer: number;
  format: string;
  committed_at: string;
  rows: number;
  bytes: number;
  files: ManifestFile[];
}

export const MANIFEST_DIR = '_manifests';
export const SUCCESS_FILE = '_SUCCESS';

/** Writes the run's manifest, then `_SUCCESS`: the last two steps of a commit (SPEC §5). */
export async function writeManifest(fs: FileSystem, root: string, manifest: Manifest): Promise<void> {
  failpoint('before-manifest');
  await fs.write(fs.join(root, MANIFEST_DIR, `${manifest.run_id}.json`), `${JSON.stringify(manifest, null, 2)}\n`);
  failpoint('after-manifest');
  await fs.write(fs.join(root, SUCCESS_FILE), `${JSON.stringify({ run_id: manifest.run_id, committed_at: manifest.committed_at })}\n`);
}

/**
 * Before a run writes, removes what an earlier attempt with the same run id and writer left (data files named
 * `part-<run_id>-<writer>-*`, the hidden staging files `.part-<run_id>-<writer>-*` a killed attempt was writing,
 * and its manifest), so a retried run rewrites the same files and never duplicates rows.
 */
export async function cleanPreviousAttempt(fs: FileSystem, root: string, runId: string, writer: number): Promise<number> {
  if (!(await fs.stat(root))) return 0;
  const prefix = `part-${runId}-${writer}-`;
  const stale: string[] = [];
  for await (const f of fs.list(root, { recursive: true, includeHidden: true })) {
    const name = fs.basename(f.path);
    if (!f.isDirectory && (name.startsWith(prefix) || name.startsWith(`.${prefix}`))) stale.push(f.path);
  }
  const manifest = fs.join(root, MANIFEST_DIR, `${runId}.json`);
  if (await fs.stat(manifest)) stale.push(manifest);
  if (stale.length > 0) await fs.delete(stale);
  return stale.length;
}

/** Every manifest under a target root, oldest run first. */
export async function readManifests(fs: FileSystem, root: string): Promise<Manifest[]> {
  const dir = fs.join(root, MANIFEST_DIR);
  if (!(await fs.stat(dir))) return [];
  const out: Manifest[] = [];
  for await (const f of fs.list(dir)) {
    if (f.isDirectory || !f.path.endsWith('.json')) continue;
    out.push(JSON.parse(new TextDecoder().decode(await fs.read(f.path))) as Manifest);
  }
  return out.sort((a, b) => a.run_id.localeCompare(b.run_id));
}
