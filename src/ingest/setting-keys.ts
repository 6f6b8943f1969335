import { SpecError } from '../errors.js';
import { closest } from '../util/closest.js';

/**
 * Source `attributes` keys the core owns, for every source kind: filters, the file system's options, the batch
 * size of reads, and the scheduler's settings (SPEC §2, §8).
 */
export const CORE_SOURCE_KEYS = ['additional_filters', 'storage_options', 'batch_size', 'schedule_tz', 'allowed_lateness_seconds', 'lookback_seconds'] as const;

/** Target `attributes` keys the core owns for file targets (SPEC §3-§4: the partitioned writer's bounds). */
export const CORE_FILE_TARGET_KEYS = ['max_file_bytes', 'max_buffered_bytes', 'max_open_files', 'max_partitions'] as const;

/**
 * Keys MLRun writes into source or target attributes that Sluice does not use (pandas/Spark reader options, the
 * BigQuery source's settings): accepted with one warning, so MLRun specs load unchanged.
 */
export const MLRUN_UNUSED_KEYS = ['chunksize', 'reader_args', 'parse_dates', 'spark_options', 'time_fields', 'max_results_for_table', 'materialization_dataset', 'gcp_project', 'serialize'] as const;

/**
 * Checks that every key of `attributes` has an owner: `owned` (the core's and the connector's keys). A key that
 * MLRun writes and nobody here uses gives a warning (returned); any other key is a {@link SpecError} naming the
 * key, the accepted keys and the closest one.
 * @example checkSettingKeys({ on_bad_rows: 'skip' }, ['on_bad_row'], 'csv source data.csv') // throws: did you mean on_bad_row?
 */
export function checkSettingKeys(attributes: Record<string, unknown> | undefined, owned: readonly string[], where: string): string[] {
  const warnings: string[] = [];
  for (const key of Object.keys(attributes ?? {})) {
    if (owned.includes(key)) continue;
    if ((MLRUN_UNUSED_KEYS as readonly string[]).includes(key)) {
      warnings.push(`${where}: attributes.${key} is an MLRun setting that Sluice does not use; it is ignored`);
      continue;
    }
    const near = closest(key, owned);
    const accepted = [...owned].sort().join(', ');
    throw new SpecError(`${where}: attributes.${key} is not a known setting${near ? ` (did you mean ${near}?)` : ''}; accepted: ${accepted || 'none'}`);
  }
  return warnings;
}
