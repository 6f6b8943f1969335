import { SpecError } from '../errors.js';
import { FILTER_OPS } from '../model/data-source.js';
import type { FilterOp } from '../model/data-source.js';

/** One `additional_filters` entry: `[column, op, value]`; `in`/`not in` take a list of values. */
export type SourceFilter = [string, FilterOp, unknown];

/** A filter value for messages (bigint and Date safe). */
export function showFilterValue(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return `[${v.map(showFilterValue).join(', ')}]`;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

function isScalar(v: unknown): boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || v instanceof Date;
}

/**
 * Checks the shape of `additional_filters` (MLRun's list of `(column, op, value)`) and returns it typed.
 * `op` is one of `= == != < <= > >= in "not in"`; `in`/`not in` take a non-empty list of values, the others one
 * value (a string, number, bigint, boolean or Date; null is refused since it never compares equal).
 * Throws a {@link SpecError} naming the entry, the bad part and the accepted ops.
 *
 * @example validateFilters([['country', 'in', ['US', 'DE']], ['amount', '>', 10]])
 */
export function validateFilters(filters: unknown, what = 'additional_filters'): SourceFilter[] {
  if (filters === undefined || filters === null) return [];
  if (!Array.isArray(filters)) {
    throw new SpecError(`${what}: ${showFilterValue(filters)} is not a list; expected a list of [column, op, value], e.g. [["amount", ">", 10]]`);
  }
  return filters.map((f: unknown, i): SourceFilter => {
    const at = `${what}[${i}]`;
    if (!Array.isArray(f) || f.length !== 3) {
      throw new SpecError(`${at}: ${showFilterValue(f)} is not [column, op, value]; expected e.g. ["amount", ">", 10]`);
    }
    const [column, op, value] = f as [unknown, unknown, unknown];
    if (typeof column !== 'string' || column === '') throw new SpecError(`${at}: the column ${showFilterValue(column)} is not a column name`);
    if (!FILTER_OPS.includes(op as FilterOp)) {
      throw new SpecError(`${at}: op ${showFilterValue(op)} is not known; valid ops: ${FILTER_OPS.map((o) => JSON.stringify(o)).join(', ')}`);
    }
    if (op === 'in' || op === 'not in') {
      if (!Array.isArray(value) || value.length === 0 || !value.every(isScalar)) {
        throw new SpecError(`${at}: "${op}" needs a non-empty list of values (strings, numbers, booleans or times), not ${showFilterValue(value)}`);
      }
    } else if (!isScalar(value)) {
      throw new SpecError(`${at}: "${String(op)}" needs one value (a string, number, boolean or time), not ${showFilterValue(value)}`);
    }
    return [column, op as FilterOp, value];
  });
}
