import { hostname } from 'node:os';
import { checkOnBadRow, checkTimeUnit, checkTimeZone, parseColumnSchema, resolveLocation, SpecError } from '../../../src/index.js';
import type { ColumnSpec, DataSource, OnBadRow, TimeUnitName } from '../../../src/index.js';

/** The `redis-stream` settings of a data source, validated once. */
export interface StreamOptions {
  /** The Redis URL as given (`redis://host:port/db`); parsed when connecting. */
  url: string;
  /** The stream key. */
  stream: string;
  group: string;
  consumer: string;
  /** Entries per XREADGROUP / XAUTOCLAIM call. */
  count: number;
  blockMs: number;
  /** Where a new group starts: `0` (the whole stream) or `$` (only new entries). */
  startId: '0' | '$';
  claimIdleMs: number;
  /** One `read()` ends after this many entries ... */
  maxEvents: number;
  /** ... or this many seconds after its first entry. */
  flushAfterSeconds: number;
  /** Declared columns, in order (entries' fields not declared are not read). */
  schema: Map<string, ColumnSpec>;
  /** A string column that receives each entry's id. */
  idColumn?: string;
  timeZone?: string;
  epochUnit?: TimeUnitName;
  onBadRow: OnBadRow;
  quarantinePath: string;
  credentialsPrefix?: string;
}

/** Attribute keys the `redis-stream` source reads (others are left to other stages, e.g. `additional_filters`). */
export const STREAM_ATTRIBUTES = [
  'stream', 'group', 'consumer', 'count', 'block_ms', 'start_id', 'claim_idle_ms', 'max_events', 'flush_after_seconds',
  'schema', 'id_column', 'time_zone', 'epoch_unit', 'on_bad_row', 'quarantine_path',
] as const;

function int(v: unknown, what: string, fallback: number, min: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new SpecError(`${what}: ${JSON.stringify(v)} is not an integer >= ${min}`);
  return v;
}

function positive(v: unknown, what: string, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw new SpecError(`${what}: ${JSON.stringify(v)} is not a positive number of seconds`);
  return v;
}

function name(v: unknown, what: string): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.trim() === '') throw new SpecError(`${what}: ${JSON.stringify(v)} is not a non-empty string`);
  return v;
}

/**
 * Reads a `redis-stream` data source: `path` is the Redis URL; `attributes.stream` (required), `group` (default
 * `sluice-<feature set name>`, else `sluice-<source name>`), `consumer` (default `<hostname>-<pid>`), `count`
 * (1000), `block_ms` (1000), `start_id` (`0` | `$`, default `0`), `claim_idle_ms` (60,000), `max_events`
 * (10,000), `flush_after_seconds` (60), `schema` (required: it fixes the columns of every read), `id_column`,
 * `time_zone`, `epoch_unit`, `on_bad_row`, `quarantine_path`. `key_field` and `time_field` must be declared
 * columns. Throws a {@link SpecError} naming the bad key and value.
 */
export function parseStreamOptions(spec: DataSource, o: { featureSetName?: string; cwd?: string } = {}): StreamOptions {
  const a = spec.attributes ?? {};
  const where = `redis-stream source${spec.name ? ` "${spec.name}"` : ''}`;
  const what = (k: string) => `${where}: attributes.${k}`;
  if (typeof spec.path !== 'string' || !/^rediss?:\/\//.test(spec.path)) {
    throw new SpecError(`${where}: path ${JSON.stringify(spec.path)} is not a Redis URL; set path to redis://host:port/db`);
  }
  const stream = name(a.stream, what('stream'));
  if (!stream) throw new SpecError(`${what('stream')} is required: the key of the stream to read, e.g. stream: events`);
  const defaultGroup = o.featureSetName ?? spec.name;
  const group = name(a.group, what('group')) ?? (defaultGroup ? `sluice-${defaultGroup}` : undefined);
  if (!group) throw new SpecError(`${what('group')} is required when the source has no feature set or name; set e.g. group: sluice-${stream}`);
  if (a.start_id !== undefined && a.start_id !== '0' && a.start_id !== '$' && a.start_id !== 0) {
    throw new SpecError(`${what('start_id')}: ${JSON.stringify(a.start_id)} is not accepted; expected "0" (the whole stream) or "$" (only new entries)`);
  }
  if (a.schema === undefined) {
    throw new SpecError(`${what('schema')} is required: stream entries carry strings, so declare every column to read, e.g. schema: { user_id: string, amount: float64, ts: timestamp }`);
  }
  const schema = parseColumnSchema(a.schema, what('schema'));
  const idColumn = name(a.id_column, what('id_column'));
  if (idColumn !== undefined) {
    if (schema.has(idColumn) && schema.get(idColumn)?.type !== 'string') throw new SpecError(`${what('id_column')}: column \`${idColumn}\` holds entry ids, so it must be a string column in attributes.schema (or not declared)`);
    schema.delete(idColumn);
  }
  const columns = [...schema.keys(), ...(idColumn ? [idColumn] : [])];
  const keys = spec.keyField === undefined ? [] : Array.isArray(spec.keyField) ? spec.keyField : [spec.keyField];
  for (const [k, col] of [...keys.map((c) => ['key_field', c] as const), ...(spec.timeField ? [['time_field', spec.timeField] as const] : [])]) {
    if (!columns.includes(col)) throw new SpecError(`${where}: ${k} \`${col}\` is not a column; declare it in attributes.schema (columns: ${columns.join(', ')})`);
  }
  if (a.quarantine_path !== undefined && typeof a.quarantine_path !== 'string') throw new SpecError(`${what('quarantine_path')}: ${JSON.stringify(a.quarantine_path)} is not a path`);
  const onBadRow = checkOnBadRow(a.on_bad_row, what('on_bad_row'));
  if (onBadRow === 'quarantine' && a.quarantine_path === undefined) {
    throw new SpecError(`${what('quarantine_path')} is required with on_bad_row: quarantine (a stream has no file to put the side file next to)`);
  }
  return {
    url: spec.path,
    stream,
    group,
    consumer: name(a.consumer, what('consumer')) ?? `${hostname()}-${process.pid}`,
    count: int(a.count, what('count'), 1000, 1),
    blockMs: int(a.block_ms, what('block_ms'), 1000, 1),
    startId: a.start_id === '$' ? '$' : '0',
    claimIdleMs: int(a.claim_idle_ms, what('claim_idle_ms'), 60_000, 0),
    maxEvents: int(a.max_events, what('max_events'), 10_000, 1),
    flushAfterSeconds: positive(a.flush_after_seconds, what('flush_after_seconds'), 60),
    schema,
    ...(idColumn !== undefined ? { idColumn } : {}),
    ...(a.time_zone !== undefined ? { timeZone: checkTimeZone(a.time_zone, what('time_zone')) } : {}),
    ...(a.epoch_unit !== undefined ? { epochUnit: checkTimeUnit(a.epoch_unit, what('epoch_unit')) } : {}),
    onBadRow,
    quarantinePath: a.quarantine_path === undefined ? '' : resolveLocation(a.quarantine_path as string, o.cwd ?? process.cwd()),
    ...(spec.credentialsPrefix ? { credentialsPrefix: spec.credentialsPrefix } : {}),
  };
}
