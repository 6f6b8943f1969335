import type { ColumnSpec } from '../../src/index.js';

/** How a PostgreSQL `numeric` column is read: as float64 (default, may round) or as its exact text. */
export type NumericAs = 'float64' | 'string';

/** How a bound filter value is cast so that PostgreSQL compares it in the column's terms. */
export type PgCompareClass = 'number' | 'time' | 'bool' | 'text';

/** One column of a PostgreSQL result: its name, type OID and what Sluice makes of it. */
export interface PgColumn {
  name: string;
  oid: number;
  /** The PostgreSQL type, for messages (`int8`, `timestamptz`, or `oid 600` when unknown). */
  pgType: string;
  spec: ColumnSpec;
  compare: PgCompareClass;
}

interface Mapping {
  name: string;
  spec: ColumnSpec;
  compare: PgCompareClass;
}

const STRING: ColumnSpec = { type: 'string' };
const TIMESTAMP: ColumnSpec = { type: 'timestamp', unit: 'us' };

/** Built-in type OIDs (pg_type.oid; stable across PostgreSQL versions). */
const MAPPINGS: ReadonlyMap<number, Mapping> = new Map<number, Mapping>([
  [16, { name: 'bool', spec: { type: 'bool' }, compare: 'bool' }],
  [20, { name: 'int8', spec: { type: 'int64' }, compare: 'number' }],
  [21, { name: 'int2', spec: { type: 'int32' }, compare: 'number' }],
  [23, { name: 'int4', spec: { type: 'int32' }, compare: 'number' }],
  [26, { name: 'oid', spec: { type: 'int64' }, compare: 'number' }],
  [700, { name: 'float4', spec: { type: 'float64' }, compare: 'number' }],
  [701, { name: 'float8', spec: { type: 'float64' }, compare: 'number' }],
  [1700, { name: 'numeric', spec: { type: 'float64' }, compare: 'number' }],
  [18, { name: 'char', spec: STRING, compare: 'text' }],
  [19, { name: 'name', spec: STRING, compare: 'text' }],
  [25, { name: 'text', spec: STRING, compare: 'text' }],
  [1042, { name: 'bpchar', spec: STRING, compare: 'text' }],
  [1043, { name: 'varchar', spec: STRING, compare: 'text' }],
  [2950, { name: 'uuid', spec: STRING, compare: 'text' }],
  [114, { name: 'json', spec: STRING, compare: 'text' }],
  [3802, { name: 'jsonb', spec: STRING, compare: 'text' }],
  [1114, { name: 'timestamp', spec: TIMESTAMP, compare: 'time' }],
  [1184, { name: 'timestamptz', spec: TIMESTAMP, compare: 'time' }],
  [1082, { name: 'date', spec: { type: 'date' }, compare: 'time' }],
]);

/**
 * The Sluice column for a PostgreSQL result field. Mapping: bool → bool; int2/int4 → int32; int8, oid → int64
 * (exact, from the text form); float4/float8 → float64; numeric → float64 (or utf8 with `numericAs: 'string'`);
 * text/varchar/char/name/uuid → utf8; json/jsonb → utf8 JSON text; timestamp (naive, read as UTC) and
 * timestamptz → timestamp[us, UTC]; date → date32 (days). Any other type (interval, arrays, bytea, enums, ...)
 * becomes utf8 holding PostgreSQL's text output, compared as text by filters.
 */
export function pgColumn(name: string, oid: number, numericAs: NumericAs = 'float64'): PgColumn {
  const m = MAPPINGS.get(oid);
  if (!m) return { name, oid, pgType: `oid ${oid}`, spec: STRING, compare: 'text' };
  const spec = oid === 1700 && numericAs === 'string' ? STRING : m.spec;
  return { name, oid, pgType: m.name, spec: { ...spec }, compare: m.compare };
}

/** Type parsers that hand every value over as PostgreSQL's text (the Arrow column builders parse it). */
export const TEXT_TYPES = Object.freeze({ getTypeParser: () => (value: string): string => value });
