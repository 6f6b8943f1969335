import { RUN_ID_PLACEHOLDER } from '../model/target-path-object.js';

/** A committed target as the user sees it: where its data is and a command that reads it back. */
export interface ReadBack {
  /** The committed run directory (or file) of a file target; the Redis URL of an online target. */
  location: string;
  /** A command that reads the data back (DuckDB for files, `sluice online get` for Redis). */
  command: string;
}

/** Fills `{run_id}` of a status path (`<path>/{run_id}/`) with the run id that committed it. */
export function committedPath(templated: string, runId: string): string {
  return templated.split(RUN_ID_PLACEHOLDER).join(runId);
}

/**
 * Where a committed target's data is and how to read it back. `specFile` names the feature set file for the
 * `sluice online get` hint (default `<featureset.yaml>`).
 *
 * @example
 * readBack('parquet', '.sluice/data/tx/{run_id}/', '1000_1').command
 * // duckdb -c "SELECT * FROM read_parquet('.sluice/data/tx/1000_1/**\/*.parquet', hive_partitioning = true)"
 */
export function readBack(kind: string, templatedPath: string, runId: string, specFile = '<featureset.yaml>'): ReadBack {
  const location = committedPath(templatedPath, runId);
  const q = (s: string) => s.replace(/'/g, "''").replace(/"/g, '\\"');
  if (kind === 'parquet' || kind === 'csv') {
    const reader = kind === 'parquet' ? 'read_parquet' : 'read_csv';
    const single = /\.(parquet|pq|csv)$/i.test(location);
    const glob = single ? location : `${location.replace(/\/?$/, '/')}**/*.${kind}`;
    return { location, command: `duckdb -c "SELECT * FROM ${reader}('${q(glob)}'${single ? '' : ', hive_partitioning = true'})"` };
  }
  return { location, command: `sluice online get ${specFile} <key>` };
}
