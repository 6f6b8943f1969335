import { DataType } from 'apache-arrow';
import type { Schema } from 'apache-arrow';
import { SpecError } from '../errors.js';
import { TIME_GRANULARITIES } from '../model/data-target-base.js';
import type { TimeGranularity } from '../model/data-target-base.js';

/** The legal values of `time_partitioning_granularity`, coarsest first (MLRun's `LEGAL_TIME_UNITS`). */
export const GRANULARITIES = TIME_GRANULARITIES;

/** A time partitioning granularity; the time levels run from `year` down to and including it. */
export type Granularity = TimeGranularity;

/**
 * How a partitioned target lays out its directories, resolved from a target's settings (see
 * {@link resolvePartitionSpec}). Levels, in MLRun/storey order: key bucket (`keyBucketingNumber` set), each of
 * `partitionCols`, then time levels down to `granularity` (read from `timeField`). No levels = unpartitioned.
 */
export interface PartitionSpec {
  /** The entity key columns; joined with `.` for the key level. */
  keyFields: string[];
  /** N > 0: level `hash{N}_key=<sha1 bucket>`; 0: level `key=<key>`; undefined: no key level. */
  keyBucketingNumber?: number;
  /** Columns whose values become `col=value` levels; they are removed from the written rows. */
  partitionCols?: string[];
  /** Time levels down to this unit, computed in UTC from `timeField`. */
  granularity?: Granularity;
  /** The event time column (Arrow Timestamp of any unit, or Date); required when `granularity` is set. */
  timeField?: string;
}

/** The partitioning settings of a target, as in MLRun's `ParquetTarget` (camelCase). */
export interface PartitionTargetSettings {
  /** Defaults to true (a directory target); false gives no levels. */
  partitioned?: boolean;
  keyBucketingNumber?: number;
  partitionCols?: string[];
  timePartitioningGranularity?: string;
}

/** What the partitioner needs to know about the source / feature set. */
export interface PartitionSourceInfo {
  keyFields: string[];
  timeField?: string;
}

/**
 * Applies SPEC §3 defaults to a target's settings. A partitioned target with none of key bucketing, partition
 * columns or granularity set partitions by `hour`; partition columns or key bucketing without a granularity give
 * no time levels (as MLRun). Time partitioning without a time field is refused (MLRun silently used processing
 * time). Column existence is checked later against the data by {@link validatePartitionSpec}.
 *
 * @example
 * resolvePartitionSpec({ keyBucketingNumber: 16, timePartitioningGranularity: 'day' }, { keyFields: ['id'], timeField: 'ts' })
 * // → { keyFields: ['id'], keyBucketingNumber: 16, granularity: 'day', timeField: 'ts' }
 */
export function resolvePartitionSpec(target: PartitionTargetSettings, source: PartitionSourceInfo): PartitionSpec {
  const spec: PartitionSpec = { keyFields: [...source.keyFields] };
  if (source.timeField !== undefined) spec.timeField = source.timeField;
  if (target.partitioned === false) return checkPartitionSpec(spec);
  const { keyBucketingNumber: n, partitionCols: cols, timePartitioningGranularity: g } = target;
  if (n !== undefined && n !== null) spec.keyBucketingNumber = n;
  if (cols !== undefined && cols !== null) spec.partitionCols = [...cols];
  if (g !== undefined && g !== null) {
    spec.granularity = checkGranularity(g);
  } else if (spec.keyBucketingNumber === undefined && spec.partitionCols === undefined) {
    if (source.timeField === undefined) {
      throw new SpecError(
        'time_partitioning_granularity: a partitioned target with no key_bucketing_number, partition_cols or ' +
          'time_partitioning_granularity partitions by hour of the event time, but the source has no time field; ' +
          'set timestamp_key / time_field, or set partition_cols or key_bucketing_number, or partitioned=false',
      );
    }
    spec.granularity = 'hour';
  }
  return checkPartitionSpec(spec);
}

/** Checks a spec's own consistency (not against data); returns it. Throws {@link SpecError}. */
export function checkPartitionSpec(spec: PartitionSpec): PartitionSpec {
  const n = spec.keyBucketingNumber;
  if (n !== undefined) {
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
      throw new SpecError(`key_bucketing_number: ${JSON.stringify(n)} is not a non-negative integer; use N > 0 for hash{N}_key buckets or 0 for key=<key>`);
    }
    if (spec.keyFields.length === 0) {
      throw new SpecError(`key_bucketing_number: ${n} needs an entity key, but the feature set has no key fields; set entities / key_field or drop key_bucketing_number`);
    }
  }
  if (spec.granularity !== undefined) {
    checkGranularity(spec.granularity);
    if (spec.timeField === undefined || spec.timeField === '') {
      throw new SpecError(
        `time_partitioning_granularity: "${spec.granularity}" needs an event time column, but the source has no time field; ` +
          'set timestamp_key / time_field, or drop time_partitioning_granularity (Sluice never partitions by processing time)',
      );
    }
  }
  const cols = spec.partitionCols ?? [];
  if (!Array.isArray(cols) || cols.some((c) => typeof c !== 'string' || c === '')) {
    throw new SpecError(`partition_cols: ${JSON.stringify(cols)} is not a list of column names`);
  }
  const seen = new Set<string>();
  for (const c of cols) {
    if (seen.has(c)) throw new SpecError(`partition_cols: column \`${c}\` is listed twice`);
    seen.add(c);
    if (c === spec.timeField) {
      throw new SpecError(`partition_cols: column \`${c}\` is the time field, which stays in the files; partition by time with time_partitioning_granularity instead`);
    }
  }
  return spec;
}

function checkGranularity(g: unknown): Granularity {
  if (typeof g === 'string' && (GRANULARITIES as readonly string[]).includes(g)) return g as Granularity;
  throw new SpecError(`time_partitioning_granularity: ${JSON.stringify(g)} is not a time unit; expected one of ${GRANULARITIES.join(', ')}`);
}

/**
 * Checks a spec against the schema of the data: key, partition and time columns exist and have types the
 * partitioner can turn into directory names. Throws {@link SpecError} naming the column and listing the columns.
 */
export function validatePartitionSpec(spec: PartitionSpec, schema: Schema): void {
  const names = schema.fields.map((f) => f.name);
  const typeOf = (col: string, setting: string): DataType => {
    const field = schema.fields.find((f) => f.name === col);
    if (!field) throw new SpecError(`${setting}: column \`${col}\` is not in the source; columns: ${names.join(', ')}`);
    return field.type;
  };
  if (spec.keyBucketingNumber !== undefined) {
    for (const k of spec.keyFields) checkValueType(typeOf(k, 'key_field'), k, 'key_field');
  }
  for (const c of spec.partitionCols ?? []) checkValueType(typeOf(c, 'partition_cols'), c, 'partition_cols');
  if (spec.granularity !== undefined && spec.timeField !== undefined) {
    const t = typeOf(spec.timeField, 'time_field');
    if (!DataType.isTimestamp(t) && !DataType.isDate(t)) {
      throw new SpecError(`time_field: column \`${spec.timeField}\` has type ${String(t)}; time partitioning needs a Timestamp or Date column`);
    }
  }
}

/** True for the column types whose values can name a directory (see `python-str.ts`). */
export function isPartitionableType(t: DataType): boolean {
  const v = DataType.isDictionary(t) ? t.dictionary : t;
  return (
    DataType.isUtf8(v) ||
    DataType.isLargeUtf8(v) ||
    DataType.isUtf8View(v) ||
    DataType.isInt(v) ||
    DataType.isFloat(v) ||
    DataType.isBool(v) ||
    DataType.isTimestamp(v) ||
    DataType.isDate(v) ||
    DataType.isNull(v)
  );
}

function checkValueType(t: DataType, col: string, setting: string): void {
  if (!isPartitionableType(t)) {
    throw new SpecError(`${setting}: column \`${col}\` has type ${String(t)}; partition values must be strings, integers, floats, booleans, dates or timestamps`);
  }
}
