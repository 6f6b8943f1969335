import { Field, Int32, Int64, makeData, Utf8 } from 'apache-arrow';
import type { Data, DataType } from 'apache-arrow';
import type { HiveLevel, SourceFilter } from '../../src/index.js';
import type { DataFile } from './hive-tree.js';
import { TIME_LEVELS } from './time-pruning.js';

const INT_RE = /^[+-]?\d{1,19}$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function isInt64Text(v: string): boolean {
  if (!INT_RE.test(v)) return false;
  const b = BigInt(v);
  return b >= INT64_MIN && b <= INT64_MAX;
}

/** A partition column: its name, Arrow type, and how values compare. */
export interface PartitionColumn {
  name: string;
  field: Field;
  kind: 'int32' | 'int64' | 'string';
}

/**
 * The partition columns of a dataset, in order of first appearance: time levels (`year` ... `second`) are
 * int32, a column whose every non-null value is an integer is int64, the rest are strings.
 */
export function partitionColumns(files: readonly DataFile[]): PartitionColumn[] {
  const values = new Map<string, string[]>();
  for (const f of files) {
    for (const l of f.levels) {
      let vs = values.get(l.name);
      if (!vs) values.set(l.name, (vs = []));
      if (l.value !== null) vs.push(l.value);
    }
  }
  return [...values].map(([name, vs]) => {
    const kind = (TIME_LEVELS as readonly string[]).includes(name) && vs.every((v) => /^\d{1,9}$/.test(v))
      ? 'int32'
      : vs.length > 0 && vs.every(isInt64Text) ? 'int64' : 'string';
    const type: DataType = kind === 'int32' ? new Int32() : kind === 'int64' ? new Int64() : new Utf8();
    return { name, field: new Field(name, type, true), kind };
  });
}

/** The value of partition `name` in `levels` (null when the file has no such level, or the null partition). */
export function levelValue(levels: readonly HiveLevel[], name: string): string | null {
  for (const l of levels) if (l.name === name) return l.value;
  return null;
}

const encoder = new TextEncoder();

/** A column of `length` copies of one partition value (all null for null). */
export function constantColumn(col: PartitionColumn, value: string | null, length: number): Data {
  const type = col.field.type as DataType;
  if (value === null) {
    const nullBitmap = new Uint8Array((length + 7) >> 3);
    if (col.kind === 'string') return makeData({ type: type as Utf8, length, nullCount: length, nullBitmap, valueOffsets: new Int32Array(length + 1), data: new Uint8Array(0) });
    if (col.kind === 'int32') return makeData({ type: type as Int32, length, nullCount: length, nullBitmap, data: new Int32Array(length) });
    return makeData({ type: type as Int64, length, nullCount: length, nullBitmap, data: new BigInt64Array(length) });
  }
  if (col.kind === 'int32') return makeData({ type: type as Int32, length, nullCount: 0, data: new Int32Array(length).fill(Number(value)) });
  if (col.kind === 'int64') return makeData({ type: type as Int64, length, nullCount: 0, data: new BigInt64Array(length).fill(BigInt(value)) });
  const bytes = encoder.encode(value);
  const data = new Uint8Array(bytes.length * length);
  const valueOffsets = new Int32Array(length + 1);
  for (let i = 0; i < length; i++) {
    data.set(bytes, i * bytes.length);
    valueOffsets[i + 1] = (i + 1) * bytes.length;
  }
  return makeData({ type: type as Utf8, length, nullCount: 0, valueOffsets, data });
}

/** The text a filter value would have as a partition value of `col`, or undefined when it cannot be one. */
function asPartitionText(col: PartitionColumn, v: unknown): string | undefined {
  if (col.kind === 'string') return typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' ? String(v) : undefined;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number' && Number.isInteger(v)) return String(v);
  if (typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v)) return BigInt(v.trim()).toString();
  return undefined;
}

function sameValue(col: PartitionColumn, value: string, text: string): boolean {
  return col.kind === 'string' ? value === text : BigInt(value) === BigInt(text);
}

/**
 * Whether a file with these partition levels can hold rows passing every filter on a partition column
 * (`= == != in "not in"`; other ops and other columns are left to the row filter). A null partition value
 * passes no filter.
 */
export function mayPassFilters(levels: readonly HiveLevel[], filters: readonly SourceFilter[], cols: ReadonlyMap<string, PartitionColumn>): boolean {
  for (const [name, op, v] of filters) {
    const col = cols.get(name);
    if (!col || !['=', '==', '!=', 'in', 'not in'].includes(op)) continue;
    const value = levelValue(levels, name);
    if (value === null) return false;
    const list = op === 'in' || op === 'not in' ? (v as unknown[]) : [v];
    const texts = list.map((x) => asPartitionText(col, x));
    if (texts.some((t) => t === undefined)) continue;
    const hit = texts.some((t) => sameValue(col, value, t!));
    if ((op === '!=' || op === 'not in') === hit) return false;
  }
  return true;
}
