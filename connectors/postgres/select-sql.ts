import { Field } from 'apache-arrow';
import { arrowTypeOf, BadInputError, coerceFilterValue, epochNanos } from '../../src/index.js';
import type { FilterOp, SourceFilter } from '../../src/index.js';
import { fromItem, quoteIdent } from './pg-relation.js';
import type { PgRelation } from './pg-relation.js';
import type { PgColumn, PgCompareClass } from './pg-types.js';

/** What {@link buildSelect} turns into one parameterised `SELECT`. */
export interface SelectPlan {
  relation: PgRelation;
  /** The relation's columns, as a `LIMIT 0` probe reported them. */
  columns: readonly PgColumn[];
  timeField?: string;
  /** Exclusive lower bound of `timeField`. */
  startTime?: Date;
  /** Inclusive upper bound of `timeField`. */
  endTime?: Date;
  filters: readonly SourceFilter[];
  /** Columns to sort by, in order (the time field, then the keys). */
  orderBy: readonly string[];
  /** What is read, for error messages. */
  description: string;
}

/** SQL text with `$1..$n` placeholders and the values bound to them (all as text, cast in the SQL). */
export interface SelectSql {
  text: string;
  values: Array<string | string[]>;
}

const CASTS: Record<PgCompareClass, string> = { number: 'numeric', time: 'timestamptz', bool: 'boolean', text: 'text' };
const SQL_OPS: Record<Exclude<FilterOp, 'in' | 'not in'>, string> = { '=': '=', '==': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

/** A column by name, or a {@link BadInputError} naming its role and listing the relation's columns. */
export function findColumn(columns: readonly PgColumn[], name: string, role: string, description: string): PgColumn {
  const c = columns.find((x) => x.name === name);
  if (!c) throw new BadInputError(`${description}: ${role} column \`${name}\` is not in the data; columns: ${columns.map((x) => x.name).join(', ')}`);
  return c;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a < 0n && q * b !== a ? q - 1n : q;
}

/** A time as ISO-8601 UTC with microseconds, floored (PostgreSQL keeps µs). */
function isoMicros(ns: bigint): string {
  const us = floorDiv(ns, 1000n);
  const sec = floorDiv(us, 1_000_000n);
  const frac = String(us - sec * 1_000_000n).padStart(6, '0');
  return `${new Date(Number(sec) * 1000).toISOString().slice(0, 19)}.${frac}Z`;
}

/** A value (already checked against the column) as the text PostgreSQL casts to the column's class. */
function paramText(v: unknown, cls: PgCompareClass): string {
  if (cls === 'time') return isoMicros(epochNanos(v) as bigint);
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'string' && cls !== 'text') return v.trim();
  return String(v);
}

/**
 * Builds the read query: `SELECT * FROM <relation> AS src WHERE <window and filters> ORDER BY <time, keys>`.
 * Values are never spliced into the text: each is bound as a parameter and cast to the column's class
 * (`numeric`, `timestamptz`, `boolean`, or `text` with the column cast to text; text ordering uses
 * `COLLATE "C"`, i.e. code-point order as in the Arrow filters). Names are checked against `columns` (a
 * {@link BadInputError} lists them) and double-quoted. Times compare as instants: the session runs in UTC, so a
 * naive `timestamp` is UTC and a `date` is its midnight UTC.
 *
 * @example
 * buildSelect({ relation: { table: 'ev' }, columns, timeField: 'ts', startTime, filters: [['n', '>', 3]], orderBy: ['ts'], description: 'sql' })
 * // { text: 'SELECT * FROM "ev" AS src WHERE "ts" > $1::timestamptz AND "n" > $2::numeric ORDER BY "ts"', values: [...] }
 */
export function buildSelect(p: SelectPlan): SelectSql {
  const values: Array<string | string[]> = [];
  const where: string[] = [];
  const bind = (v: string | string[], cast: string): string => {
    values.push(v);
    return `$${values.length}::${cast}`;
  };
  const d = p.description;
  if (p.startTime !== undefined || p.endTime !== undefined) {
    if (p.timeField === undefined) throw new BadInputError(`${d}: start_time/end_time need a time_field naming the event-time column`);
    const t = findColumn(p.columns, p.timeField, 'time', d);
    if (t.compare !== 'time') {
      throw new BadInputError(`${d}: time column \`${t.name}\` is ${t.pgType}; a time window needs a timestamp, timestamptz or date column`);
    }
    if (p.startTime !== undefined) where.push(`${quoteIdent(t.name)} > ${bind(paramText(p.startTime, 'time'), 'timestamptz')}`);
    if (p.endTime !== undefined) where.push(`${quoteIdent(t.name)} <= ${bind(paramText(p.endTime, 'time'), 'timestamptz')}`);
  }
  p.filters.forEach(([name, op, value], i) => {
    const what = `${d}: additional_filters[${i}]`;
    const c = findColumn(p.columns, name, 'filter', what);
    const field = new Field(c.name, arrowTypeOf(c.spec), true);
    const list = op === 'in' || op === 'not in' ? (value as unknown[]) : [value];
    for (const v of list) coerceFilterValue(field, v, what);
    const cast = CASTS[c.compare];
    const col = c.compare === 'text' ? `${quoteIdent(c.name)}::text` : quoteIdent(c.name);
    if (op === 'in' || op === 'not in') {
      const arr = bind(list.map((v) => paramText(v, c.compare)), `${cast}[]`);
      where.push(op === 'in' ? `${col} = ANY(${arr})` : `${col} <> ALL(${arr})`);
      return;
    }
    const sqlOp = SQL_OPS[op];
    const ordered = c.compare === 'text' && sqlOp !== '=' && sqlOp !== '<>';
    where.push(`${ordered ? `(${col} COLLATE "C")` : col} ${sqlOp} ${bind(paramText(value, c.compare), cast)}`);
  });
  const order = p.orderBy.map((n) => quoteIdent(findColumn(p.columns, n, n === p.timeField ? 'time' : 'key', d).name));
  const text = `SELECT * FROM ${fromItem(p.relation)}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}${order.length > 0 ? ` ORDER BY ${order.join(', ')}` : ''}`;
  return { text, values };
}
