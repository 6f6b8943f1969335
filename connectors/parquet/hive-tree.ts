import { BadInputError, decodeHiveValue } from '../../src/index.js';
import type { HiveLevel } from '../../src/index.js';
import type { ParquetFileAccess } from './file-access.js';

/** One data file of a dataset and the Hive partition levels of the directories above it. */
export interface DataFile {
  path: string;
  /** Path below the dataset root, `/`-separated (for messages). */
  relPath: string;
  levels: HiveLevel[];
}

/** Decides, from the levels of a directory (and those above it), whether to descend into it. */
export type DirectoryFilter = (levels: readonly HiveLevel[]) => boolean;

/** True for names a dataset reader skips: hidden (`.x`) and bookkeeping (`_SUCCESS`, `_manifests/`, `_x`). */
export function isHiddenName(name: string): boolean {
  return name.startsWith('.') || name.startsWith('_');
}

function baseName(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** The Hive level a directory name stands for (`country=US`), or undefined for a plain directory name. */
export function hiveLevelOf(name: string, where: string): HiveLevel | undefined {
  const eq = name.indexOf('=');
  if (eq <= 0) return undefined;
  try {
    return { name: decodeHiveValue(name.slice(0, eq)) ?? '', value: decodeHiveValue(name.slice(eq + 1)) };
  } catch (err) {
    throw new BadInputError(`${where}: directory "${name}": ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Walks a dataset directory in sorted order and returns its data files: every file whose name is not hidden
 * (see {@link isHiddenName}), with the `name=value` levels (decoded; `__HIVE_DEFAULT_PARTITION__` → null) of the
 * directories on its way. Directories that `keep` refuses are not descended into, so their files are never
 * opened (partition pruning).
 */
export async function listDataFiles(access: ParquetFileAccess, root: string, keep: DirectoryFilter, signal?: AbortSignal): Promise<DataFile[]> {
  const out: DataFile[] = [];
  const walk = async (dir: string, rel: string, levels: HiveLevel[]): Promise<void> => {
    const entries: Array<{ path: string; isDirectory: boolean; name: string }> = [];
    for await (const e of access.list(dir, { signal })) {
      const name = baseName(e.path);
      if (!isHiddenName(name)) entries.push({ ...e, name });
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const relPath = rel === '' ? e.name : `${rel}/${e.name}`;
      if (!e.isDirectory) {
        out.push({ path: e.path, relPath, levels });
        continue;
      }
      const level = hiveLevelOf(e.name, `${root}/${relPath}`);
      const next = level ? [...levels, level] : levels;
      if (level && !keep(next)) continue;
      await walk(e.path, relPath, next);
    }
  };
  await walk(root, '', []);
  return out;
}
