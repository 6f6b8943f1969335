import { SpecError } from '../errors.js';
import { fields, T } from './field.js';
import { assignFields, ModelObj } from './model-obj.js';

/** Time units a target can partition by, coarsest first (MLRun's `LEGAL_TIME_UNITS`). */
export const TIME_GRANULARITIES = ['year', 'month', 'day', 'hour', 'minute', 'second'] as const;
export type TimeGranularity = (typeof TIME_GRANULARITIES)[number];

export interface DataTargetBaseOptions {
  kind?: string;
  name?: string;
  path?: string;
  attributes?: Record<string, unknown>;
  afterStep?: string;
  partitioned?: boolean;
  keyBucketingNumber?: number;
  partitionCols?: string[];
  timePartitioningGranularity?: TimeGranularity;
  maxEvents?: number;
  flushAfterSeconds?: number;
  storageOptions?: Record<string, unknown>;
  runId?: string;
  schema?: Record<string, unknown>;
  credentialsPrefix?: string;
}

/** Largest `max_events`: rows one partition buffer may hold. */
export const MAX_EVENTS_LIMIT = 10_000_000;
/** Largest `flush_after_seconds` (one week; Node timers cannot wait past 24.8 days). */
export const MAX_FLUSH_AFTER_SECONDS = 604_800;
/** Largest `key_bucketing_number` (each bucket is a directory). */
export const MAX_KEY_BUCKETS = 1_000_000;

/** The wire fields every target spec shares (MLRun's `DataTargetBase._dict_fields`). */
export const DATA_TARGET_BASE_FIELDS = fields([
  ['name', 'name', T.string],
  ['kind', 'kind', T.string],
  ['path', 'path', T.string],
  ['afterStep', 'after_step', T.string],
  ['attributes', 'attributes', T.map(T.json)],
  ['partitioned', 'partitioned', T.boolean],
  ['keyBucketingNumber', 'key_bucketing_number', T.intIn(0, MAX_KEY_BUCKETS)],
  ['partitionCols', 'partition_cols', T.list(T.string)],
  ['timePartitioningGranularity', 'time_partitioning_granularity', T.enum(TIME_GRANULARITIES)],
  ['maxEvents', 'max_events', T.intIn(1, MAX_EVENTS_LIMIT)],
  ['flushAfterSeconds', 'flush_after_seconds', T.numberIn(0, MAX_FLUSH_AFTER_SECONDS)],
  ['storageOptions', 'storage_options', T.map(T.json)],
  ['runId', 'run_id', T.string],
  ['schema', 'schema', T.map(T.json)],
  ['credentialsPrefix', 'credentials_prefix', T.string],
]);

/**
 * A target spec: where and how a feature set is written (MLRun's `mlrun.model.DataTargetBase`). Format
 * settings that MLRun has no field for (compression, `max_file_bytes`, `key_prefix`, `ttl_seconds`, ...) live in
 * `attributes`, as MLRun keeps its kind-specific options there.
 *
 * @example
 * new DataTargetBase({ kind: 'parquet', path: 'out/', partitioned: true, keyBucketingNumber: 16, timePartitioningGranularity: 'day' });
 */
export class DataTargetBase extends ModelObj {
  static override readonly fields = DATA_TARGET_BASE_FIELDS;

  kind?: string;
  name = '';
  path?: string;
  attributes?: Record<string, unknown>;
  afterStep?: string;
  partitioned?: boolean;
  keyBucketingNumber?: number;
  partitionCols?: string[];
  timePartitioningGranularity?: TimeGranularity;
  maxEvents?: number;
  flushAfterSeconds?: number;
  storageOptions?: Record<string, unknown>;
  runId?: string;
  schema?: Record<string, unknown>;
  credentialsPrefix?: string;

  constructor(options: DataTargetBaseOptions = {}) {
    super();
    assignFields(this, DataTargetBase, options);
    validateTargetSettings(this, 'DataTargetBase');
  }
}

/** Range checks shared by target specs and target status entries. */
export function validateTargetSettings(
  t: { keyBucketingNumber?: number; maxEvents?: number; flushAfterSeconds?: number },
  where: string,
): void {
  if (t.keyBucketingNumber !== undefined && t.keyBucketingNumber < 0) {
    throw new SpecError(`${where}.key_bucketing_number: ${t.keyBucketingNumber} must be 0 (key=<value> levels) or a positive bucket count`);
  }
  if (t.maxEvents !== undefined && t.maxEvents <= 0) {
    throw new SpecError(`${where}.max_events: ${t.maxEvents} must be a positive number of rows per partition buffer`);
  }
  if (t.flushAfterSeconds !== undefined && t.flushAfterSeconds < 0) {
    throw new SpecError(`${where}.flush_after_seconds: ${t.flushAfterSeconds} must be 0 or more seconds`);
  }
}
