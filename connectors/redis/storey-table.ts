import type { FeatureSet } from '../../src/index.js';
import type { StoredColumn, StoredTypeName } from './table-schema.js';

/** MLRun `value_type` names (mlrun/data_types ValueType) → the stored type a key string is built with. */
const VALUE_TYPES: Record<string, StoredTypeName> = {
  int: 'int64', int8: 'int8', int16: 'int16', int32: 'int32', int64: 'int64', long: 'int64',
  uint8: 'uint8', uint16: 'uint16', uint32: 'uint32', uint64: 'uint64',
  float: 'float64', float16: 'float16', float32: 'float32', float64: 'float64', double: 'float64',
  bool: 'bool', str: 'string', string: 'string', datetime: 'timestamp',
};

/**
 * An entity column of a table without Sluice's `.schema` (written by MLRun/storey): the type declared in the
 * feature set (`value_type`), else the type of the value the caller gave (a whole number → int64, another
 * number → float64, boolean → bool, Date → timestamp, anything else → string).
 */
export function storeyEntityColumn(name: string, declared: string | undefined, value: unknown): StoredColumn {
  const t = declared !== undefined ? VALUE_TYPES[declared.toLowerCase()] : undefined;
  if (t === 'timestamp') return { name, type: t, unit: 'us' };
  if (t) return { name, type: t };
  if (typeof value === 'bigint') return { name, type: 'int64' };
  if (typeof value === 'number') return { name, type: Number.isInteger(value) ? 'int64' : 'float64' };
  if (typeof value === 'boolean') return { name, type: 'bool' };
  if (value instanceof Date) return { name, type: 'timestamp', unit: 'us' };
  return { name, type: 'string' };
}

/**
 * The features to read from a table without `.schema` when the caller names none: the feature set's declared
 * `spec.features`, else `found` (the non-internal hash fields of the requested entities); never an entity column
 * (MLRun stores the entities in the hash, Sluice takes them from the request); the feature set's
 * `timestamp_key` is always listed, as on a Sluice table (MLRun does not store it, so there it reads null).
 */
export function storeyFeatureNames(featureSet: FeatureSet, found: readonly string[]): string[] {
  const entities = new Set(featureSet.entityNames);
  const declared = (featureSet.spec.features ?? []).map((f) => f.name);
  const names = (declared.length > 0 ? declared : found).filter((n) => !entities.has(n) && !n.startsWith('\x01'));
  const ts = featureSet.spec.timestampKey;
  if (ts && !names.includes(ts) && !entities.has(ts)) names.push(ts);
  return [...new Set(names)];
}
