import type { Data, Field, RecordBatch, Schema } from 'apache-arrow';
import { BadInputError } from '../errors.js';
import type { FilterOp } from '../model/data-source.js';
import { takeRows } from '../partition/take-rows.js';
import { compileRowTest } from './filter-row-test.js';
import type { RowTest } from './filter-row-test.js';
import { showFilterValue } from './filter-spec.js';
import type { SourceFilter } from './filter-spec.js';
import { coerceFilterValue, isTimeType } from './filter-value.js';
import type { Bound } from './filter-value.js';

/** Row counts of one {@link filterBatches} pass; the caller owns the object and reads it afterwards. */
export interface FilterCounts {
  /** Rows that came in. */
  rowsIn: number;
  /** Rows that passed. */
  rowsOut: number;
  /** Rows dropped because a key was null (`nullKeys: 'skip'`). */
  nullKeysSkipped: number;
}

/** Options of {@link filterBatches}. */
export interface FilterBatchesOptions {
  /** Entity key columns; each must exist, and a null in any is an error unless `nullKeys` is `skip`. */
  keyFields: string[];
  /** The event-time column (timestamp or date); required when a time window is given. */
  timeField?: string;
  /** Exclusive lower bound of the event time. */
  startTime?: Date;
  /** Inclusive upper bound of the event time. */
  endTime?: Date;
  /** `[column, op, value]` filters, already shaped by `validateFilters`. */
  additionalFilters?: SourceFilter[];
  /** What a null key does: stop with a `BadInputError` (default) or drop the row. */
  nullKeys?: 'error' | 'skip';
  /** What is being read, for error messages, e.g. `parquet file data/x.parquet`. */
  description: string;
  /** Filled in as batches pass. */
  counts?: FilterCounts;
}

interface CompiledFilter {
  column: number;
  op: FilterOp;
  bounds: Bound[];
  what: string;
}

interface Plan {
  filters: CompiledFilter[];
  keys: number[];
}

function columnIndex(schema: Schema, name: string, role: string, description: string): number {
  const i = schema.fields.findIndex((f) => f.name === name);
  if (i < 0) {
    const cols = schema.fields.map((f) => f.name).join(', ');
    throw new BadInputError(`${description}: ${role} column \`${name}\` is not in the data; columns: ${cols}`);
  }
  return i;
}

function makePlan(schema: Schema, o: FilterBatchesOptions): Plan {
  const d = o.description;
  const keys = o.keyFields.map((k) => columnIndex(schema, k, 'key', d));
  const filters: CompiledFilter[] = [];
  const window = o.startTime !== undefined || o.endTime !== undefined;
  if (o.timeField !== undefined || window) {
    if (o.timeField === undefined) throw new BadInputError(`${d}: start_time/end_time need a time_field naming the event-time column`);
    const t = columnIndex(schema, o.timeField, 'time', d);
    const field = schema.fields[t] as Field;
    if (window && !isTimeType(field.type)) {
      throw new BadInputError(`${d}: time column \`${field.name}\` is ${String(field.type)}; a time window needs a timestamp or date column (declare its type in attributes.schema)`);
    }
    const add = (op: FilterOp, at: Date | undefined, name: string) => {
      if (at === undefined) return;
      const what = `${d}: ${name} ${at.toISOString()}`;
      filters.push({ column: t, op, bounds: [coerceFilterValue(field, at, what)], what });
    };
    add('>', o.startTime, 'start_time');
    add('<=', o.endTime, 'end_time');
  }
  (o.additionalFilters ?? []).forEach(([name, op, value], k) => {
    const what = `${d}: additional_filters[${k}] (${name} ${op} ${showFilterValue(value)})`;
    const c = columnIndex(schema, name, `additional_filters[${k}]`, d);
    const field = schema.fields[c] as Field;
    const values = op === 'in' || op === 'not in' ? (value as unknown[]) : [value];
    filters.push({ column: c, op, bounds: values.map((v) => coerceFilterValue(field, v, what)), what });
  });
  return { filters, keys };
}

/** Keeps the rows of `sel[0..count)` (or of 0..n when `sel` is undefined) that pass `test`. */
function narrow(test: RowTest, n: number, sel: Int32Array | undefined, count: number): [Int32Array, number] {
  let j = 0;
  if (sel === undefined) {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) if (test(i)) out[j++] = i;
    return [out, j];
  }
  for (let k = 0; k < count; k++) {
    const i = sel[k]!;
    if (test(i)) sel[j++] = i;
  }
  return [sel, j];
}

/**
 * The read-side filter every source goes through: keeps rows with `start < t <= end` on the time column
 * (timestamps of any unit, tz-aware or naive, and dates; a null time is outside every window), applies
 * `additional_filters` (ops `= == != < <= > >= in "not in"`, the value coerced to the column's type, nulls
 * never pass), then checks the keys of the rows kept: a null key is a {@link BadInputError} naming the source,
 * the row (1-based, counted over all input rows) and the column, unless `nullKeys: 'skip'`.
 * A missing key, time or filter column is a `BadInputError` listing the columns. Batches that lose no row pass
 * through unchanged; batches that lose every row are dropped.
 *
 * @example
 * for await (const b of filterBatches(source.read(), { keyFields: ['id'], timeField: 'ts', startTime, endTime, description: source.description })) ...
 */
export async function* filterBatches(batches: AsyncIterable<RecordBatch>, o: FilterBatchesOptions): AsyncGenerator<RecordBatch> {
  let plan: Plan | undefined;
  let planSchema: Schema | undefined;
  let rowBase = 0;
  const counts = o.counts;
  for await (const batch of batches) {
    const n = batch.numRows;
    const base = rowBase;
    rowBase += n;
    if (counts) counts.rowsIn += n;
    if (n === 0) continue;
    if (plan === undefined || planSchema !== batch.schema) {
      plan = makePlan(batch.schema, o);
      planSchema = batch.schema;
    }
    const children = batch.data.children as Data[];
    let sel: Int32Array | undefined;
    let count = n;
    for (const f of plan.filters) {
      [sel, count] = narrow(compileRowTest(children[f.column]!, f.op, f.bounds, f.what), n, sel, count);
      if (count === 0) break;
    }
    for (const k of plan.keys) {
      const data = children[k]!;
      if (count === 0 || data.nullCount === 0) continue;
      if (o.nullKeys === 'skip') {
        const before = count;
        [sel, count] = narrow((i) => data.getValid(i), n, sel, count);
        if (counts) counts.nullKeysSkipped += before - count;
        continue;
      }
      for (let s = 0; s < count; s++) {
        const i = sel === undefined ? s : sel[s]!;
        if (!data.getValid(i)) {
          const name = batch.schema.fields[k]!.name;
          throw new BadInputError(`${o.description}: row ${base + i + 1}: key column \`${name}\` is null; every row needs a key (or have rows with a null key skipped: nullKeys 'skip')`);
        }
      }
    }
    if (count === 0) continue;
    if (counts) counts.rowsOut += count;
    if (count === n) yield batch;
    else yield takeRows(batch, batch.schema.fields.map((_, c) => c), sel!.subarray(0, count));
  }
}
