import { DataType, TimeUnit, makeVector } from 'apache-arrow';
import type { Data } from 'apache-arrow';
import { BadInputError, parseTime, pythonDateStr, pythonFloatStr, pythonTimestampStr, rowStringifier } from '../../src/index.js';
import type { StoredColumn } from './table-schema.js';

/**
 * The Python `str()` of every value of a key column (storey builds entity strings with `str(k)`): integers in
 * decimal, floats as Python repr (`1.0`), booleans `True`/`False`, timestamps `YYYY-MM-DD HH:MM:SS[.ffffff]`.
 * A null key is a {@link BadInputError} naming the column and row.
 */
export function keyColumnStrings(data: Data, column: string, rowBase = 0): string[] {
  const n = data.length;
  const out = new Array<string>(n);
  const type = data.type as DataType;
  const get = DataType.isDictionary(type)
    ? ((vec) => (i: number) => (data.getValid(i) ? String(vec.get(i)) : null))(makeVector(data))
    : rowStringifier(data);
  for (let i = 0; i < n; i++) {
    const s = get(i);
    if (s === null) throw new BadInputError(`redis target: key column "${column}" is null in row ${rowBase + i + 1}; every row needs an entity key`);
    out[i] = s;
  }
  return out;
}

const PER_MS: Record<string, bigint> = { s: 1n, ms: 1n, us: 1000n, ns: 1_000_000n };
const UNITS: Record<string, TimeUnit> = { s: TimeUnit.SECOND, ms: TimeUnit.MILLISECOND, us: TimeUnit.MICROSECOND, ns: TimeUnit.NANOSECOND };

/**
 * The entity-string part of a key value a reader was given (a JS value or its text), as the writer formed it
 * for a column of this stored type. A value that does not fit the type is a {@link BadInputError}.
 */
export function keyValueString(value: unknown, col: StoredColumn): string {
  const bad = (expected: string) =>
    new BadInputError(`entity "${col.name}": ${typeof value === 'bigint' ? value.toString() : JSON.stringify(value)} is not ${expected} (the column's stored type is ${col.type})`);
  if (value === null || value === undefined) throw bad('a key value');
  switch (col.type) {
    case 'string':
      return String(value);
    case 'bool': {
      const s = String(value).toLowerCase();
      if (value === true || s === 'true' || s === '1') return 'True';
      if (value === false || s === 'false' || s === '0') return 'False';
      throw bad('a boolean');
    }
    case 'float16':
    case 'float32':
    case 'float64': {
      const x = typeof value === 'number' ? value : Number(String(value).trim());
      if (Number.isNaN(x) && !/^[-+]?nan$/i.test(String(value).trim())) throw bad('a number');
      return pythonFloatStr(x);
    }
    case 'timestamp':
    case 'date': {
      const d = typeof value === 'number' ? new Date(value) : parseTime(value, `entity "${col.name}"`);
      const ms = BigInt(d.getTime());
      if (col.type === 'date') return pythonDateStr(Math.floor(d.getTime() / 86_400_000));
      const unit = col.unit ?? 'ms';
      const v = unit === 's' ? ms / 1000n : ms * (PER_MS[unit] ?? 1n);
      return pythonTimestampStr(v, UNITS[unit] ?? TimeUnit.MILLISECOND, Boolean(col.tz));
    }
    default: {
      try {
        return BigInt(typeof value === 'string' ? value.trim() : (value as number | bigint)).toString();
      } catch {
        throw bad('an integer');
      }
    }
  }
}
