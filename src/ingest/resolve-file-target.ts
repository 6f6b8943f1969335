import { SpecError } from '../errors.js';
import { checkRunId } from '../util/path-parts.js';
import type { DataTargetBase } from '../model/data-target-base.js';
import type { DataTarget } from '../model/data-target.js';
import type { FeatureSet } from '../model/feature-set.js';
import { TargetPathObject } from '../model/target-path-object.js';
import { resolvePartitionSpec } from '../partition/partition-spec.js';
import type { PartitionSpec } from '../partition/partition-spec.js';
import type { FlushSettings } from './partitioned-file-writer.js';
import { DEFAULT_FLUSH_SETTINGS } from './partitioned-file-writer.js';

const SINGLE_FILE = /\.(parquet|pq|csv)$/i;

/** A file target with every default applied: where it writes and how it partitions and flushes. */
export interface ResolvedFileTarget {
  name: string;
  kind: string;
  /** The path as given, or the default under `.sluice/data/`. */
  basePath: string;
  singleFile: boolean;
  /** The run id of the target's directory: new on overwrite, the previous one on append. */
  targetRunId: string;
  /** `basePath` with `{run_id}` (what the status records). */
  templatedPath: string;
  /** The directory the files go to, run id filled in. */
  root: string;
  /** For a single-file target, the file name inside `root`. */
  fileName?: string;
  partitioned: boolean;
  partitionSpec: PartitionSpec;
  settings: FlushSettings;
  maxPartitions: number;
}

function positive(v: unknown, where: string, fallback: number): number {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !(v > 0)) throw new SpecError(`${where}: ${JSON.stringify(v)} must be a positive number`);
  return v;
}

/**
 * Applies SPEC §3-§5 defaults to a Parquet/CSV target: a path ending in `.parquet`/`.pq`/`.csv` is a single
 * unpartitioned file, anything else a directory, partitioned unless `partitioned: false`; the run id directory
 * (`{run_id}/`) is appended as MLRun does; append reuses the run id the status holds, overwrite takes the new one.
 */
export function resolveFileTarget(
  t: DataTargetBase,
  fs: FeatureSet,
  o: { runId: string; overwrite: boolean; previous?: DataTarget; keyFields: string[]; timeField?: string },
): ResolvedFileTarget {
  const where = `target "${t.name}"`;
  const basePath = t.path ?? `.sluice/data/${fs.project}/${fs.name}/${t.kind}/`;
  const singleFile = SINGLE_FILE.test(basePath);
  if (singleFile && !o.overwrite) {
    throw new SpecError(`${where}: append (overwrite: false) is not possible on the single-file target ${basePath}; give a directory path, or ingest with overwrite`);
  }
  if (singleFile && t.partitioned) {
    throw new SpecError(`${where}: ${basePath} is a single file, so it cannot be partitioned; give a directory path or set partitioned: false`);
  }
  const partitioned = singleFile ? false : (t.partitioned ?? true);
  // Append writes into the run directory the status records: its run id must be one (a status edited by hand
  // to `..` must not send files into the target's parent).
  const targetRunId = !o.overwrite && o.previous?.runId ? checkRunId(o.previous.runId, `${where}: the run id in the feature set's status`) : o.runId;
  const tpo = new TargetPathObject(basePath, targetRunId, singleFile);
  const abs = tpo.getAbsolutePath(fs.project);
  const slash = abs.lastIndexOf('/');
  const root = singleFile ? abs.slice(0, slash) : abs.replace(/\/+$/, '');
  const attrs = t.attributes ?? {};
  return {
    name: t.name,
    kind: t.kind ?? '',
    basePath,
    singleFile,
    targetRunId,
    templatedPath: tpo.getTemplatedPath(),
    root,
    ...(singleFile ? { fileName: abs.slice(slash + 1) } : {}),
    partitioned,
    partitionSpec: resolvePartitionSpec(
      {
        partitioned,
        keyBucketingNumber: t.keyBucketingNumber,
        partitionCols: t.partitionCols,
        timePartitioningGranularity: t.timePartitioningGranularity,
      },
      { keyFields: o.keyFields, ...(o.timeField ? { timeField: o.timeField } : {}) },
    ),
    settings: {
      maxEvents: t.maxEvents ?? DEFAULT_FLUSH_SETTINGS.maxEvents,
      flushAfterSeconds: t.flushAfterSeconds ?? DEFAULT_FLUSH_SETTINGS.flushAfterSeconds,
      maxFileBytes: positive(attrs.max_file_bytes, `${where} attributes.max_file_bytes`, DEFAULT_FLUSH_SETTINGS.maxFileBytes),
      maxBufferedBytes: positive(attrs.max_buffered_bytes, `${where} attributes.max_buffered_bytes`, DEFAULT_FLUSH_SETTINGS.maxBufferedBytes),
      maxOpenFiles: positive(attrs.max_open_files, `${where} attributes.max_open_files`, DEFAULT_FLUSH_SETTINGS.maxOpenFiles),
    },
    maxPartitions: positive(attrs.max_partitions, `${where} attributes.max_partitions`, 10_000),
  };
}
