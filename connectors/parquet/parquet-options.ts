import { resolveLocation, SpecError, validateFilters } from '../../src/index.js';
import type { DataSource, SourceFilter } from '../../src/index.js';

/** The parquet source settings, validated once. */
export interface ParquetSourceOptions {
  /** The path as given in the spec (used in messages). */
  path: string;
  /** A file, or the root of a (Hive-partitioned) directory of files; absolute for local paths. */
  location: string;
  /** Event-time column, for pruning with the time window. */
  timeField?: string;
  startTime?: Date;
  endTime?: Date;
  /** `additional_filters`, for pruning partitions. */
  filters: SourceFilter[];
}

/**
 * Reads the parquet settings of a data source: `path` (file or directory), `time_field`, `start_time`,
 * `end_time` and `attributes.additional_filters` (used to skip partitions; rows are filtered by the ingest's
 * filter stage). Throws a {@link SpecError} naming the bad key.
 */
export function parseParquetSourceOptions(spec: DataSource, cwd: string = process.cwd()): ParquetSourceOptions {
  if (typeof spec.path !== 'string' || spec.path === '') {
    throw new SpecError(`parquet source${spec.name ? ` "${spec.name}"` : ''}: path is required; set path to a .parquet file or a directory of them`);
  }
  const filters = validateFilters(spec.attributes?.additional_filters, `parquet source ${spec.path}: attributes.additional_filters`);
  return {
    path: spec.path,
    location: resolveLocation(spec.path, cwd),
    timeField: spec.timeField,
    startTime: spec.startTime,
    endTime: spec.endTime,
    filters,
  };
}
