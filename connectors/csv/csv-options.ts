import { isAbsolute, resolve } from 'node:path';
import { checkOnBadRow, checkTimeUnit, checkTimeZone, DEFAULT_INFER_ROWS, parseColumnSchema, SpecError } from '../../src/index.js';
import type { ColumnSpec, DataSource, OnBadRow, TimeUnitName } from '../../src/index.js';

/** The CSV settings of a data source, validated once. */
export interface CsvOptions {
  /** The path as given in the spec (used in messages). */
  path: string;
  /** The path to open: absolute for local files, unchanged for URLs such as `s3://`. */
  location: string;
  delimiter: string;
  header: boolean;
  /** Column names when the file has no header row. */
  columns?: string[];
  /** Declared column types; columns not named here are inferred. */
  schema: Map<string, ColumnSpec>;
  /** IANA zone naive times are read in (default UTC). */
  timeZone?: string;
  /** Unit of epoch numbers in timestamp columns. */
  epochUnit?: TimeUnitName;
  inferRows: number;
  onBadRow: OnBadRow;
  /** Absolute path of the quarantine file (JSON lines). */
  quarantinePath: string;
  /** Longest record accepted, in characters. */
  maxRecordChars: number;
  /** Column types the feature set declares (`value_type`); `schema` wins over them. */
  declared?: Map<string, ColumnSpec>;
  /** Entity key columns: a row whose key cell is empty is a bad row. */
  keyFields?: string[];
  /** The event-time column: a row whose time cell is empty is a bad row; it is read as a timestamp. */
  timeField?: string;
}

/** The attributes the csv source reads. */
export type CsvAttributeKey =
  | 'delimiter' | 'header' | 'columns' | 'schema' | 'time_zone' | 'epoch_unit' | 'infer_rows' | 'on_bad_row'
  | 'quarantine_path' | 'max_record_chars';

function localPath(p: string, cwd: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(p)) return p;
  return isAbsolute(p) ? p : resolve(cwd, p);
}

function positiveInt(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new SpecError(`${what}: ${JSON.stringify(v)} is not a positive integer`);
  }
  return v;
}

/**
 * Reads the CSV settings from a data source: `path` and `attributes.delimiter` (one character, default `,`),
 * `header` (default true), `columns` (names when there is no header), `schema`, `time_zone`, `epoch_unit`,
 * `infer_rows` (default 1000), `on_bad_row` (error|skip|quarantine), `quarantine_path`
 * (default `<path>.quarantine.jsonl`), `max_record_chars`. Other attribute keys are left to other stages
 * (e.g. `additional_filters`). Throws a {@link SpecError} naming the bad key and value.
 */
export function parseCsvOptions(spec: DataSource, cwd: string = process.cwd()): CsvOptions {
  if (typeof spec.path !== 'string' || spec.path === '') {
    throw new SpecError(`csv source${spec.name ? ` "${spec.name}"` : ''}: path is required; set path to the CSV file, e.g. data/events.csv`);
  }
  const a = spec.attributes ?? {};
  const what = (k: CsvAttributeKey) => `csv source ${spec.path}: attributes.${k}`;
  const delimiter = a.delimiter ?? ',';
  if (typeof delimiter !== 'string' || delimiter.length !== 1 || /["\r\n]/.test(delimiter)) {
    throw new SpecError(`${what('delimiter')}: ${JSON.stringify(delimiter)} is not a delimiter; expected one character other than a quote or line break, e.g. "," or "\\t"`);
  }
  const header = a.header ?? true;
  if (typeof header !== 'boolean') throw new SpecError(`${what('header')}: ${JSON.stringify(header)} is not a boolean; expected true or false`);
  let columns: string[] | undefined;
  if (a.columns !== undefined) {
    if (!Array.isArray(a.columns) || !a.columns.every((c) => typeof c === 'string')) {
      throw new SpecError(`${what('columns')}: ${JSON.stringify(a.columns)} is not a list of column names`);
    }
    if (header) throw new SpecError(`${what('columns')}: names columns only for a file without a header row; set attributes.header to false or drop columns`);
    columns = a.columns as string[];
  }
  const onBadRow = checkOnBadRow(a.on_bad_row, what('on_bad_row'));
  if (a.quarantine_path !== undefined && typeof a.quarantine_path !== 'string') {
    throw new SpecError(`${what('quarantine_path')}: ${JSON.stringify(a.quarantine_path)} is not a path`);
  }
  const location = localPath(spec.path, cwd);
  return {
    path: spec.path,
    location,
    delimiter,
    header,
    columns,
    schema: a.schema === undefined ? new Map() : parseColumnSchema(a.schema, what('schema')),
    timeZone: a.time_zone === undefined ? undefined : checkTimeZone(a.time_zone, what('time_zone')),
    epochUnit: a.epoch_unit === undefined ? undefined : checkTimeUnit(a.epoch_unit, what('epoch_unit')),
    inferRows: a.infer_rows === undefined ? DEFAULT_INFER_ROWS : positiveInt(a.infer_rows, what('infer_rows')),
    onBadRow,
    quarantinePath: a.quarantine_path === undefined ? `${location}.quarantine.jsonl` : localPath(a.quarantine_path as string, cwd),
    maxRecordChars: a.max_record_chars === undefined ? 64 * 1024 * 1024 : positiveInt(a.max_record_chars, what('max_record_chars')),
  };
}
