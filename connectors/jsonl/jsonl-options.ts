import {
  checkOnBadRow, checkTimeUnit, checkTimeZone, DEFAULT_INFER_ROWS, parseColumnSchema, resolveLocation, SpecError,
} from '../../src/index.js';
import type { ColumnSpec, DataSource, OnBadRow, TimeUnitName } from '../../src/index.js';

/** The JSON-lines settings of a data source, validated once. */
export interface JsonlOptions {
  /** The path as given in the spec (used in messages). */
  path: string;
  /** The path to open: absolute for local files, unchanged for URLs such as `s3://`. */
  location: string;
  /** Declared column types; other keys of the objects are inferred. */
  schema: Map<string, ColumnSpec>;
  /** IANA zone naive times are read in (default UTC). */
  timeZone?: string;
  /** Unit of epoch numbers in timestamp columns. */
  epochUnit?: TimeUnitName;
  /** Lines sampled to find the columns and infer their types. */
  inferRows: number;
  onBadRow: OnBadRow;
  /** Absolute path of the quarantine file (JSON lines). */
  quarantinePath: string;
  /** Longest line accepted, in characters. */
  maxLineChars: number;
  /** Column types the feature set declares (`value_type`); `schema` wins over them. */
  declared?: Map<string, ColumnSpec>;
  /** Entity key columns: a row whose key is null or missing is a bad row. */
  keyFields?: string[];
  /** The event-time column: a row whose time is empty is a bad row; it is read as a timestamp. */
  timeField?: string;
}

function positiveInt(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new SpecError(`${what}: ${JSON.stringify(v)} is not a positive integer`);
  return v;
}

/**
 * Reads the JSON-lines settings of a data source: `path` and `attributes.schema` (as for csv), `time_zone`,
 * `epoch_unit`, `infer_rows` (default 1000), `on_bad_row` (error|skip|quarantine), `quarantine_path`
 * (default `<path>.quarantine.jsonl`), `max_line_chars` (default 64 Mi). Other attribute keys are left to other
 * stages. Throws a {@link SpecError} naming the bad key and value.
 */
export function parseJsonlOptions(spec: DataSource, cwd: string = process.cwd()): JsonlOptions {
  if (typeof spec.path !== 'string' || spec.path === '') {
    throw new SpecError(`jsonl source${spec.name ? ` "${spec.name}"` : ''}: path is required; set path to a file of JSON lines, e.g. data/events.jsonl`);
  }
  const a = spec.attributes ?? {};
  const what = (k: string) => `jsonl source ${spec.path}: attributes.${k}`;
  if (a.quarantine_path !== undefined && typeof a.quarantine_path !== 'string') {
    throw new SpecError(`${what('quarantine_path')}: ${JSON.stringify(a.quarantine_path)} is not a path`);
  }
  const location = resolveLocation(spec.path, cwd);
  return {
    path: spec.path,
    location,
    schema: a.schema === undefined ? new Map() : parseColumnSchema(a.schema, what('schema')),
    timeZone: a.time_zone === undefined ? undefined : checkTimeZone(a.time_zone, what('time_zone')),
    epochUnit: a.epoch_unit === undefined ? undefined : checkTimeUnit(a.epoch_unit, what('epoch_unit')),
    inferRows: a.infer_rows === undefined ? DEFAULT_INFER_ROWS : positiveInt(a.infer_rows, what('infer_rows')),
    onBadRow: checkOnBadRow(a.on_bad_row, what('on_bad_row')),
    quarantinePath: a.quarantine_path === undefined ? `${location}.quarantine.jsonl` : resolveLocation(a.quarantine_path as string, cwd),
    maxLineChars: a.max_line_chars === undefined ? 64 * 1024 * 1024 : positiveInt(a.max_line_chars, what('max_line_chars')),
  };
}
