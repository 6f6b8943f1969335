import { SpecError } from '../errors.js';
import { RUN_ID_PLACEHOLDER } from '../model/target-path-object.js';
import type { FileStat, FileSystem } from '../storage/file-system.js';
import { MANIFEST_DIR, SUCCESS_FILE } from './commit-protocol.js';
import type { Manifest } from './commit-protocol.js';

/** A run id as Sluice and MLRun make them: `<epoch_ms>_<n>`. */
const RUN_ID = /^\d+_\d+$/;
/** Data files a Sluice writer publishes: `part-<run_id>-<writer>-<seq>.<ext>`, or a single-file target's file. */
const DATA_FILE = /\.(parquet|pq|csv)$/;

export interface VacuumOptions {
  /** Unlisted files younger than this stay (a run may still be writing, or appending to the current run); default 3600. */
  minAgeSeconds?: number;
  dryRun?: boolean;
  now?: () => Date;
}

export interface VacuumResult {
  /** Paths removed (or, in a dry run, to remove). */
  removed: string[];
  /** Data files kept because a manifest lists them. */
  kept: number;
  /** The run directories looked into. */
  runDirs: string[];
}

/** One file under the vacuumed path, with its path relative to the run directory it belongs to. */
interface Entry {
  file: FileStat;
  rel: string;
}

/**
 * Removes what no manifest lists from a file target (SPEC §5): data files of runs that never committed and
 * leftover staging files, older than `minAgeSeconds`. `path` is a target directory (every run directory under it
 * is looked into: a child holding `_manifests/`, or one named like a run id holding data or staging files), one
 * run directory, or the templated `<path>/{run_id}/`. Every file a manifest lists, the manifests and `_SUCCESS`
 * stay, and so does anything that is neither a data file nor a staging file. A path that holds no run
 * directory is refused with a {@link SpecError} before anything is removed.
 */
export async function vacuum(fs: FileSystem, path: string, o: VacuumOptions = {}): Promise<VacuumResult> {
  const root = stripTemplate(path);
  const groups = await runDirectories(fs, root);
  if (groups.size === 0) {
    throw new SpecError(
      `vacuum: ${path} is not a Sluice target: expected a target directory whose run directories (<run_id>/) hold ` +
        `${MANIFEST_DIR}/ and ${SUCCESS_FILE}, or one such run directory; nothing was removed`,
    );
  }
  const minAgeMs = (o.minAgeSeconds ?? 3600) * 1000;
  const now = (o.now ?? (() => new Date()))().getTime();
  const removed: string[] = [];
  let kept = 0;
  for (const entries of groups.values()) {
    const listed = new Set<string>();
    for (const e of entries) {
      if (!isManifest(e.rel)) continue;
      const m = JSON.parse(new TextDecoder().decode(await fs.read(e.file.path))) as Manifest;
      for (const f of m.files) listed.add(f.path);
    }
    for (const { file, rel } of entries) {
      if (isManifest(rel) || rel.startsWith(`${MANIFEST_DIR}/`) || rel === SUCCESS_FILE) continue;
      if (listed.has(rel)) {
        kept++;
        continue;
      }
      const name = fs.basename(file.path);
      if (!name.startsWith('.') && !DATA_FILE.test(name)) continue;
      if (now - file.mtime.getTime() < minAgeMs) continue;
      removed.push(file.path);
    }
  }
  if (!o.dryRun && removed.length > 0) await fs.delete(removed);
  return { removed, kept, runDirs: [...groups.keys()] };
}

/** `<path>/{run_id}/` (the path a status records) means the target `<path>`. */
function stripTemplate(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.endsWith(`/${RUN_ID_PLACEHOLDER}`) ? trimmed.slice(0, -RUN_ID_PLACEHOLDER.length - 1) : trimmed;
}

function isManifest(rel: string): boolean {
  return rel.startsWith(`${MANIFEST_DIR}/`) && rel.endsWith('.json') && !rel.slice(MANIFEST_DIR.length + 1).includes('/');
}

/** True when the files (relative to a directory) show a run directory's own layout: a manifest or `_SUCCESS`. */
function hasCommit(entries: Entry[]): boolean {
  return entries.some((e) => isManifest(e.rel) || e.rel === SUCCESS_FILE);
}

/** True when the files hold what a writer leaves before commit: data or staging files. */
function hasRunFiles(entries: Entry[]): boolean {
  return entries.some((e) => {
    const name = e.rel.slice(e.rel.lastIndexOf('/') + 1);
    return name.startsWith('.') || DATA_FILE.test(name);
  });
}

/**
 * The run directories at `root`, each with its files: `root` itself when it is one (it holds a manifest or
 * `_SUCCESS`, or its name is a run id and it holds data or staging files), else its children that are. Only
 * candidates (a `_manifests/` or `_SUCCESS` inside, or a run-id name) are walked, so a large folder that is no
 * target is refused after listing two levels, not after walking it all.
 */
async function runDirectories(fs: FileSystem, root: string): Promise<Map<string, Entry[]>> {
  const out = new Map<string, Entry[]>();
  const kids = await children(fs, root);
  const self = await runDirectory(fs, root, kids);
  if (self) return out.set(root, self);
  for (const kid of kids) {
    if (!kid.isDirectory) continue;
    const entries = await runDirectory(fs, kid.path, await children(fs, kid.path));
    if (entries) out.set(kid.path, entries);
  }
  return out;
}

/** The files of `dir` (paths relative to it) when it is a run directory, else undefined. */
async function runDirectory(fs: FileSystem, dir: string, kids: FileStat[]): Promise<Entry[] | undefined> {
  const named = RUN_ID.test(fs.basename(dir));
  const marked = kids.some((k) => fs.basename(k.path) === (k.isDirectory ? MANIFEST_DIR : SUCCESS_FILE));
  if (!named && !marked) return undefined;
  const entries: Entry[] = [];
  for await (const f of fs.list(dir, { recursive: true, includeHidden: true })) {
    if (!f.isDirectory) entries.push({ file: f, rel: f.path.slice(dir.length + 1) });
  }
  return hasCommit(entries) || (named && hasRunFiles(entries)) ? entries : undefined;
}

async function children(fs: FileSystem, dir: string): Promise<FileStat[]> {
  const out: FileStat[] = [];
  for await (const f of fs.list(dir, { includeHidden: true })) out.push(f);
  return out;
}
