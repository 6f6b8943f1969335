import { DataType, DateUnit, Precision, TimeUnit } from 'apache-arrow';
import type { Date_, Field, Float, Int, Timestamp } from 'apache-arrow';
import { newIsoParts, parseIsoParts } from '../arrow/iso-time.js';
import { SpecError } from '../errors.js';
import { showFilterValue } from './filter-spec.js';

/**
 * How a column's values are compared:
 * - `int64`: 64-bit integers (Int64, timestamps of any unit, date[ms]) read from the raw buffer;
 * - `number`: Int8..Int32, Uint8..Uint32, floats and date[day] as JS numbers;
 * - `string`, `bool`: decoded values;
 * - `text`: anything else (dictionaries, decimals, ...), compared by `String(value)` for equality only.
 */
export type ColumnClass = 'int64' | 'number' | 'string' | 'bool' | 'text';

/**
 * A filter value in the column's terms. Integer columns compare against a possibly fractional value:
 * `int64` holds `floor(v)` and whether `v` was whole; `number` holds the value itself (a fraction such as
 * `floor + 0.5` stands for any non-whole value, which integer rows compare against identically).
 */
export type Bound =
  | { kind: 'int64'; floor: bigint; exact: boolean }
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'text'; value: string };

const NS_PER: Record<TimeUnit, bigint> = {
  [TimeUnit.SECOND]: 1_000_000_000n,
  [TimeUnit.MILLISECOND]: 1_000_000n,
  [TimeUnit.MICROSECOND]: 1_000n,
  [TimeUnit.NANOSECOND]: 1n,
};
const NS_PER_DAY = 86_400_000_000_000n;
const INT_RE = /^\s*[+-]?\d+\s*$/;

/** The comparison class of an Arrow type. */
export function columnClass(type: DataType): ColumnClass {
  if (DataType.isTimestamp(type)) return 'int64';
  if (DataType.isDate(type)) return (type as Date_).unit === DateUnit.DAY ? 'number' : 'int64';
  if (DataType.isInt(type)) {
    const t = type as Int;
    if (t.bitWidth < 64) return 'number';
    return t.isSigned ? 'int64' : 'text';
  }
  if (DataType.isFloat(type)) return (type as Float).precision === Precision.HALF ? 'text' : 'number';
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) return 'string';
  if (DataType.isBool(type)) return 'bool';
  return 'text';
}

/** True for timestamp and date columns (the ones a time window applies to). */
export function isTimeType(type: DataType): boolean {
  return DataType.isTimestamp(type) || DataType.isDate(type);
}

function floorDiv(a: bigint, b: bigint): { floor: bigint; exact: boolean } {
  const q = a / b;
  const r = a - q * b;
  if (r === 0n) return { floor: q, exact: true };
  return { floor: r < 0n ? q - 1n : q, exact: false };
}

/** Nanoseconds since the epoch of a Date or an ISO-8601 string (no offset = UTC); undefined otherwise. */
export function epochNanos(v: unknown): bigint | undefined {
  if (v instanceof Date) {
    const ms = v.getTime();
    return Number.isNaN(ms) ? undefined : BigInt(ms) * 1_000_000n;
  }
  if (typeof v !== 'string') return undefined;
  const p = newIsoParts();
  if (!parseIsoParts(v.trim(), p)) return undefined;
  const seconds = p.localSeconds - (p.naive ? 0 : p.offsetSeconds);
  return BigInt(seconds) * 1_000_000_000n + BigInt(p.nanos);
}

function numberOf(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isNaN(n) ? undefined : n;
  }
  return undefined;
}

function int64Of(v: unknown): { floor: bigint; exact: boolean } | undefined {
  if (typeof v === 'bigint') return { floor: v, exact: true };
  if (typeof v === 'string' && INT_RE.test(v)) return { floor: BigInt(v.trim()), exact: true };
  const n = numberOf(v);
  if (n === undefined || !Number.isFinite(n)) return undefined;
  const f = Math.floor(n);
  return { floor: BigInt(f), exact: f === n };
}

/**
 * Converts a filter value to the terms of column `field` (see {@link Bound}): numbers (or numeric strings) for
 * numeric columns, Dates or ISO-8601 strings for timestamp/date columns (converted to the column's unit; the
 * values of a tz-aware column are UTC instants too), text for string columns, true/false for booleans.
 * Throws a {@link SpecError} naming `what`, the value and what the column takes.
 */
export function coerceFilterValue(field: Field, value: unknown, what: string): Bound {
  const type = field.type as DataType;
  const fail = (expected: string): never => {
    throw new SpecError(`${what}: value ${showFilterValue(value)} does not fit column \`${field.name}\` (${String(type)}); expected ${expected}`);
  };
  const cls = columnClass(type);
  if (isTimeType(type)) {
    const ns = epochNanos(value);
    if (ns === undefined) return fail('a time: a Date or an ISO-8601 string such as 2024-01-05T10:00:00Z (no offset means UTC)');
    if (DataType.isTimestamp(type)) return { kind: 'int64', ...floorDiv(ns, NS_PER[(type as Timestamp).unit]) };
    if (cls === 'int64') return { kind: 'int64', ...floorDiv(ns, 1_000_000n) };
    const days = floorDiv(ns, NS_PER_DAY);
    return { kind: 'number', value: Number(days.floor) + (days.exact ? 0 : 0.5) };
  }
  switch (cls) {
    case 'int64': {
      const b = int64Of(value);
      return b ? { kind: 'int64', ...b } : fail('an integer such as 42');
    }
    case 'number': {
      const n = numberOf(value);
      return n === undefined ? fail('a number such as 42 or 1.5') : { kind: 'number', value: n };
    }
    case 'string':
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
        return { kind: 'string', value: String(value) };
      }
      return fail('a string');
    case 'bool':
      if (typeof value === 'boolean') return { kind: 'bool', value };
      if (value === 'true' || value === 'false') return { kind: 'bool', value: value === 'true' };
      return fail('true or false');
    default:
      return { kind: 'text', value: value instanceof Date ? value.toISOString() : String(value) };
  }
}
