import type { Data, RecordBatch, Schema } from 'apache-arrow';
import { BadInputError } from '../errors.js';
import { columnCodes, groupRows } from './column-codes.js';
import type { ColumnCodes } from './column-codes.js';
import { encodeHiveValue } from './hive-encoding.js';
import { KeyBucketCache } from './key-bucket.js';
import { checkPartitionSpec, validatePartitionSpec } from './partition-spec.js';
import type { PartitionSpec } from './partition-spec.js';
import { takeRows } from './take-rows.js';
import { timeCodes, timeLevelNames } from './time-levels.js';

/** The rows of one partition of a batch. */
export interface PartitionGroup {
  /** The relative directory, e.g. `hash16_key=3/country=US/year=2024/month=01/day=05`; '' when unpartitioned. */
  key: string;
  /** Each level's decoded value by level name (`hash16_key`, `country`, `year`, ...), null for a null. */
  values: Record<string, string | null>;
  /** The partition's rows; partition columns removed (Hive convention), key and time columns kept. */
  batch: RecordBatch;
}

/** Options of a {@link Partitioner}. */
export interface PartitionerOptions {
  /** Most distinct partitions one partitioner may see (the `max_partitions` setting); default 10,000. */
  maxPartitions?: number;
  /** Most keys whose bucket is memoized; default 1,000,000. */
  maxCachedKeys?: number;
}

/** One directory level computed for a batch: per-row codes and, per code, the level values. */
interface Level {
  /** The setting and column(s) the level comes from, for errors: "partition_cols: column `city`". */
  label: string;
  codes: Int32Array;
  card: number;
  /** [level name, value] pairs of a code (time levels give several). */
  parts: (code: number) => Array<[string, string | null]>;
}

/**
 * Splits record batches by partition and names the Hive directories (SPEC §3): key bucket, partition columns,
 * then UTC time levels. Pure: no I/O. One instance per target per run; it counts the distinct partitions it
 * has produced and refuses to exceed `max_partitions`.
 *
 * @example
 * const p = new Partitioner({ keyFields: ['id'], keyBucketingNumber: 16, granularity: 'day', timeField: 'ts' });
 * for (const { key, batch } of p.split(rb)) await writer.write(batch, key);
 */
export class Partitioner {
  readonly spec: PartitionSpec;
  private readonly maxPartitions: number;
  private readonly buckets: KeyBucketCache | undefined;
  private readonly seen = new Set<string>();
  private validated: Schema | undefined;

  constructor(spec: PartitionSpec, opts: PartitionerOptions = {}) {
    this.spec = checkPartitionSpec(spec);
    this.maxPartitions = opts.maxPartitions ?? 10_000;
    const n = spec.keyBucketingNumber;
    this.buckets = n !== undefined && n > 0 ? new KeyBucketCache(n, opts.maxCachedKeys) : undefined;
  }

  /** Distinct partitions produced so far. */
  partitionCount(): number {
    return this.seen.size;
  }

  /**
   * The batch's rows grouped by partition, groups in order of first row. Throws {@link SpecError} when the
   * batch lacks a column the spec names, {@link BadInputError} on a null key or event time (naming the row) or
   * when the run would exceed `max_partitions` (then nothing of this batch is counted).
   */
  split(batch: RecordBatch): PartitionGroup[] {
    const schema = batch.schema;
    if (this.validated !== schema) {
      validatePartitionSpec(this.spec, schema);
      this.validated = schema;
    }
    const names = schema.fields.map((f) => f.name);
    const dropped = new Set(this.spec.partitionCols ?? []);
    const keep = names.flatMap((name, i) => (dropped.has(name) ? [] : [i]));
    const column = (name: string): Data => batch.data.children[names.indexOf(name)] as Data;
    const levels = this.levels(batch.numRows, column);
    if (levels.length === 0) return [{ key: '', values: {}, batch: takeRows(batch, keep) }];

    const { groupOf, firstRow } = groupRows(batch.numRows, levels.map((l) => l.codes), levels.map((l) => l.card));
    const groups = firstRow.map((row) => {
      const values: Record<string, string | null> = {};
      const segments: string[] = [];
      for (const level of levels) {
        for (const [name, value] of level.parts(level.codes[row] as number)) {
          values[name] = value;
          segments.push(checkSegmentLength(`${encodeHiveValue(name)}=${encodeHiveValue(value)}`, value, level.label));
        }
      }
      return { key: segments.join('/'), values };
    });
    mergeSamePath(groupOf, groups);
    this.count(groups.map((g) => g.key));

    if (groups.length === 1) return [{ ...(groups[0] as { key: string; values: Record<string, string | null> }), batch: takeRows(batch, keep) }];
    const rows = rowsByGroup(groupOf, groups.length);
    return groups.map((g, i) => ({ ...g, batch: takeRows(batch, keep, rows[i]) }));
  }

  private count(keys: string[]): void {
    const fresh = keys.filter((k) => !this.seen.has(k));
    const total = this.seen.size + fresh.length;
    if (total > this.maxPartitions) {
      throw new BadInputError(
        `partitioning would open ${total} partitions, more than max_partitions=${this.maxPartitions} ` +
          `(${this.seen.size} seen before this batch, ${fresh.length} new in it, e.g. "${fresh[0] ?? ''}"); ` +
          'raise max_partitions, or partition more coarsely (fewer key buckets, fewer partition_cols, a coarser time_partitioning_granularity)',
      );
    }
    for (const k of fresh) this.seen.add(k);
  }

  private levels(n: number, column: (name: string) => Data): Level[] {
    const levels: Level[] = [];
    const { keyBucketingNumber: buckets, partitionCols, granularity, timeField } = this.spec;
    if (buckets !== undefined) levels.push(this.keyLevel(n, column, buckets));
    for (const col of partitionCols ?? []) {
      const { codes, values } = columnCodes(column(col));
      levels.push({ label: `partition_cols: column \`${col}\``, codes, card: values.length, parts: (c) => [[col, values[c] ?? null]] });
    }
    if (granularity !== undefined && timeField !== undefined) {
      const { codes, values } = timeCodes(column(timeField), timeField, granularity);
      const names = timeLevelNames(granularity);
      levels.push({ label: `time_field: column \`${timeField}\``, codes, card: values.length, parts: (c) => names.map((name, i): [string, string] => [name, values[c]?.[i] ?? '']) });
    }
    return levels;
  }

  /** `hash{N}_key=<bucket>` (N > 0) or `key=<key>` (N = 0); a multi-column key joins its values with `.`. */
  private keyLevel(n: number, column: (name: string) => Data, buckets: number): Level {
    const cols = this.spec.keyFields.map((k) => ({ name: k, codes: columnCodes(column(k)) }));
    const key = joinKeyColumns(n, cols);
    const label = `key_field ${this.spec.keyFields.map((k) => `\`${k}\``).join(', ')}`;
    if (buckets === 0 || this.buckets === undefined) {
      return { label, codes: key.codes, card: key.values.length, parts: (c) => [['key', key.values[c] ?? null]] };
    }
    const name = `hash${buckets}_key`;
    const cache = this.buckets;
    const bucketOfKey = key.values.map((k) => cache.get(k as string));
    const dense = new Map<number, number>();
    const bucketValues: string[] = [];
    const toDense = bucketOfKey.map((b) => {
      let d = dense.get(b);
      if (d === undefined) {
        d = bucketValues.length;
        dense.set(b, d);
        bucketValues.push(String(b));
      }
      return d;
    });
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) codes[i] = toDense[key.codes[i] as number] as number;
    return { label, codes, card: bucketValues.length, parts: (c) => [[name, bucketValues[c] ?? null]] };
  }
}

/** The longest file or directory name local file systems allow (ext4, XFS, APFS, NTFS: 255 bytes). */
export const MAX_SEGMENT_BYTES = 255;

/**
 * Returns the encoded `name=value` segment, or throws {@link BadInputError} naming the column, the (truncated)
 * value and the limit when it is longer than a directory name may be, so the run fails before it writes.
 */
function checkSegmentLength(segment: string, value: string | null, label: string): string {
  // Encoded segments are ASCII (every other byte is %XX), so characters are bytes.
  if (segment.length <= MAX_SEGMENT_BYTES) return segment;
  const chars = [...(value ?? '')];
  const shown = chars.length > 40 ? `${chars.slice(0, 40).join('')}…` : chars.join('');
  throw new BadInputError(
    `${label}: value "${shown}" (${chars.length} characters) encodes to a ${segment.length}-byte directory name ` +
      `\`${segment.slice(0, 40)}…\`, more than the ${MAX_SEGMENT_BYTES} bytes a file name may have; ` +
      'shorten or map such values before ingesting, or partition by another column (or key_bucketing_number)',
  );
}

/** Per-row key strings (columns' Python `str()` joined with `.`), coded; refuses nulls naming row and column. */
function joinKeyColumns(n: number, cols: Array<{ name: string; codes: ColumnCodes }>): ColumnCodes {
  for (const { name, codes } of cols) {
    const nullCode = codes.values.indexOf(null);
    if (nullCode >= 0) {
      const row = codes.codes.indexOf(nullCode);
      throw new BadInputError(`key_field \`${name}\`: row ${row} of the batch is null; key partitioning needs a key on every row`);
    }
  }
  if (cols.length === 1) return (cols[0] as { codes: ColumnCodes }).codes;
  const { groupOf, firstRow } = groupRows(n, cols.map((c) => c.codes.codes), cols.map((c) => c.codes.values.length));
  const joined = firstRow.map((row) => cols.map(({ codes }) => codes.values[codes.codes[row] as number]).join('.'));
  // ('a.b', 'c') and ('a', 'b.c') are one key, as in storey.
  const values: string[] = [];
  const index = new Map<string, number>();
  const recode = joined.map((k) => {
    let c = index.get(k);
    if (c === undefined) {
      c = values.length;
      index.set(k, c);
      values.push(k);
    }
    return c;
  });
  for (let i = 0; i < n; i++) groupOf[i] = recode[groupOf[i] as number] as number;
  return { codes: groupOf, values };
}

/**
 * Merges groups whose paths are equal although their values differ (`''` and null both encode as
 * `__HIVE_DEFAULT_PARTITION__`); the first group's values stand for the merged one. Rewrites `groupOf` in place.
 */
function mergeSamePath(groupOf: Int32Array, groups: Array<{ key: string }>): void {
  const index = new Map<string, number>();
  const remap = groups.map((g, i) => {
    const first = index.get(g.key);
    if (first === undefined) index.set(g.key, i);
    return first ?? i;
  });
  if (index.size === groups.length) return;
  const dense = new Map<number, number>();
  for (const target of remap) if (!dense.has(target)) dense.set(target, dense.size);
  for (let i = 0; i < groupOf.length; i++) groupOf[i] = dense.get(remap[groupOf[i] as number] as number) as number;
  const kept = groups.filter((_, i) => remap[i] === i);
  groups.length = 0;
  groups.push(...kept);
}

/** Row indices of each group, ascending (a counting sort of `groupOf`). */
function rowsByGroup(groupOf: Int32Array, count: number): Int32Array[] {
  const starts = new Int32Array(count + 1);
  for (const g of groupOf) starts[g + 1] = (starts[g + 1] as number) + 1;
  for (let g = 0; g < count; g++) starts[g + 1] = (starts[g + 1] as number) + (starts[g] as number);
  const order = new Int32Array(groupOf.length);
  const fill = starts.slice(0, count);
  for (let i = 0; i < groupOf.length; i++) {
    const g = groupOf[i] as number;
    order[fill[g] as number] = i;
    fill[g] = (fill[g] as number) + 1;
  }
  return Array.from({ length: count }, (_, g) => order.subarray(starts[g] as number, starts[g + 1] as number));
}
