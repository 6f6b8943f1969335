import { DataType, DateUnit, TimeUnit } from 'apache-arrow';
import type { Schema, Timestamp } from 'apache-arrow';
import { NotSupportedError, SluiceError } from '../../src/index.js';
import type { RedisConnection } from './redis-connection.js';

/** A stored column type. Dictionary columns are stored as their value type. */
export type StoredTypeName =
  | 'int8' | 'int16' | 'int32' | 'int64' | 'uint8' | 'uint16' | 'uint32' | 'uint64'
  | 'float16' | 'float32' | 'float64' | 'bool' | 'string' | 'timestamp' | 'date';

/** One column in `.schema`: name and type; timestamps add `unit` (s|ms|us|ns) and `tz`, dates `unit` (day|ms). */
export interface StoredColumn {
  name: string;
  type: StoredTypeName;
  unit?: 's' | 'ms' | 'us' | 'ns' | 'day';
  tz?: string;
}

/** The JSON document under `{<prefix><table>:.schema}`. */
export interface TableSchema {
  format: 'sluice-redis/1';
  /** Entity (key) columns in key order: the reader turns requested keys into entity strings with these types. */
  entities: StoredColumn[];
  /** Hash fields, in first-written order. */
  features: StoredColumn[];
  timestamp_key?: string;
}

const UNIT: Record<number, 's' | 'ms' | 'us' | 'ns'> = {
  [TimeUnit.SECOND]: 's',
  [TimeUnit.MILLISECOND]: 'ms',
  [TimeUnit.MICROSECOND]: 'us',
  [TimeUnit.NANOSECOND]: 'ns',
};

/**
 * The stored type of an Arrow column; null for an all-null (`Null`) column, which writes nothing. Other types
 * (binary, decimal, lists, structs, durations) are refused with the column's name.
 */
export function storedColumnOf(name: string, type: DataType): StoredColumn | null {
  const t = DataType.isDictionary(type) ? (type.dictionary as DataType) : type;
  if (DataType.isNull(t)) return null;
  if (DataType.isInt(t)) return { name, type: `${t.isSigned ? '' : 'u'}int${t.bitWidth}` as StoredTypeName };
  if (DataType.isFloat(t)) return { name, type: (['float16', 'float32', 'float64'] as const)[t.precision] };
  if (DataType.isBool(t)) return { name, type: 'bool' };
  if (DataType.isUtf8(t) || DataType.isLargeUtf8(t)) return { name, type: 'string' };
  if (DataType.isTimestamp(t)) {
    const ts = t as Timestamp;
    return { name, type: 'timestamp', unit: UNIT[ts.unit] ?? 'ms', ...(ts.timezone ? { tz: ts.timezone } : {}) };
  }
  if (DataType.isDate(t)) return { name, type: 'date', unit: t.unit === DateUnit.DAY ? 'day' : 'ms' };
  throw new NotSupportedError(`redis target: column "${name}" has Arrow type ${String(type)}, which the online store does not hold; cast it to a string, number, bool or timestamp`);
}

/** The schema of a batch: key columns as entities, every other non-null column as a feature. */
export function tableSchemaOf(schema: Schema, keyFields: readonly string[], timeField?: string): TableSchema {
  const byName = new Map(schema.fields.map((f) => [f.name, f]));
  const entities = keyFields.map((k) => {
    const f = byName.get(k);
    const c = f ? storedColumnOf(k, f.type as DataType) : null;
    return c ?? { name: k, type: 'string' as const };
  });
  const features: StoredColumn[] = [];
  for (const f of schema.fields) {
    if (keyFields.includes(f.name)) continue;
    const c = storedColumnOf(f.name, f.type as DataType);
    if (c) features.push(c);
  }
  return { format: 'sluice-redis/1', entities, features, ...(timeField ? { timestamp_key: timeField } : {}) };
}

/** A previous schema updated with a newer one: entities and types from the newer, features in first-seen order. */
export function mergeSchemas(previous: TableSchema | undefined, next: TableSchema): TableSchema {
  if (!previous) return next;
  const features = new Map(previous.features.map((c) => [c.name, c]));
  for (const c of next.features) features.set(c.name, c);
  return { ...next, features: [...features.values()] };
}

/**
 * Reads and checks a table's `.schema`; undefined when the key does not exist. A `.schema` that is not Sluice's
 * (storey stores its aggregation schema under the same key) is an error, or undefined with `foreign: 'ignore'`.
 */
export async function readTableSchema(conn: RedisConnection, key: string, o: { foreign?: 'error' | 'ignore' } = {}): Promise<TableSchema | undefined> {
  let raw: string | null;
  try {
    raw = await conn.client.get(key);
  } catch (err) {
    throw conn.fail(err, `GET ${key}`);
  }
  if (raw === null) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(raw);
  } catch {
    doc = undefined;
  }
  const d = doc as Partial<TableSchema> | undefined;
  if (!d || d.format !== 'sluice-redis/1' || !Array.isArray(d.features) || !Array.isArray(d.entities)) {
    if (o.foreign === 'ignore') return undefined;
    throw new SluiceError('BAD_INPUT', `redis ${conn.endpoint.display}: key ${key} does not hold a Sluice table schema (format sluice-redis/1); was the table written by another tool?`);
  }
  return d as TableSchema;
}

/** Writes a table's `.schema` (JSON string; no TTL). */
export async function writeTableSchema(conn: RedisConnection, key: string, schema: TableSchema): Promise<void> {
  try {
    await conn.client.set(key, JSON.stringify(schema));
  } catch (err) {
    throw conn.fail(err, `SET ${key}`);
  }
}
