import { BadInputError, DataTargetBase, NotFoundError, SpecError } from '../../src/index.js';
import type { FeatureSet } from '../../src/index.js';
import { entityString, hashKey, schemaKey } from './key-layout.js';
import { keyValueString } from './key-strings.js';
import { openRedis, redisCredentials } from './redis-connection.js';
import type { RedisConnection, SecretLookup } from './redis-connection.js';
import { parseRedisTarget } from './redis-settings.js';
import type { RedisTargetSettings } from './redis-settings.js';
import { decodeStoreyValue } from './storey-decoding.js';
import { storeyEntityColumn, storeyFeatureNames } from './storey-table.js';
import { readTableSchema } from './table-schema.js';
import type { StoredColumn, TableSchema } from './table-schema.js';
import { decodeValue, entityValue } from './value-decoding.js';

/** The target kinds that are the Redis online store (`redis` is an alias). */
export const REDIS_TARGET_KINDS = ['redisnosql', 'redis'] as const;

export interface OnlineFeaturesOptions {
  /** Only these features (default: every feature in the table's `.schema`). */
  features?: string[];
  /** Read from this Redis URL instead of the target's path. */
  redisUrl?: string;
  /** Where `REDIS_USER` / `REDIS_PASSWORD` come from. */
  secrets?: SecretLookup;
  /** The Redis target's name, when the feature set has more than one. */
  target?: string;
}

/** One result row: the entity fields, then every requested feature (null where unknown or never written). */
export type OnlineRow = Record<string, unknown>;

/** The feature set's Redis target (by name, else the first of kind `redisnosql`/`redis`). */
export function onlineTarget(featureSet: FeatureSet, o: { target?: string; redisUrl?: string } = {}): DataTargetBase {
  const kinds = REDIS_TARGET_KINDS as readonly string[];
  const candidates = featureSet.spec.targets.filter((t) => kinds.includes(t.kind ?? '') && (o.target === undefined || t.name === o.target));
  const found = candidates[0];
  if (found) return o.redisUrl ? new DataTargetBase({ ...found.toDict(), path: o.redisUrl } as never) : found;
  if (o.redisUrl) return new DataTargetBase({ kind: 'redisnosql', name: 'redisnosql', path: o.redisUrl });
  const what = o.target ? `no Redis target named "${o.target}"` : 'no target of kind redisnosql (or redis)';
  throw new SpecError(`feature set "${featureSet.name}" has ${what}; targets: ${featureSet.spec.targets.map((t) => `${t.name} (${t.kind})`).join(', ') || 'none'}`);
}

/** The entity values of one requested row, in key order: a record by entity name, an array, or a bare value. */
function keyValues(row: unknown, entities: StoredColumn[], i: number): unknown[] {
  const names = entities.map((e) => e.name);
  if (Array.isArray(row)) {
    if (row.length !== entities.length) throw new BadInputError(`entity row ${i + 1}: ${JSON.stringify(row)} has ${row.length} values; the entity is (${names.join(', ')})`);
    return row;
  }
  if (row !== null && typeof row === 'object' && !(row instanceof Date)) {
    const rec = row as Record<string, unknown>;
    const missing = names.filter((n) => rec[n] === undefined || rec[n] === null);
    if (missing.length > 0) throw new BadInputError(`entity row ${i + 1}: ${missing.join(', ')} missing; the entity is (${names.join(', ')})`);
    return names.map((n) => rec[n]);
  }
  if (entities.length !== 1) throw new BadInputError(`entity row ${i + 1}: ${JSON.stringify(row)} is a single value, but the entity has ${entities.length} columns (${names.join(', ')}); pass an object or an array`);
  return [row];
}

/**
 * Reads features for a list of entities from a feature set's Redis target (HMGET, pipelined), typed exactly as
 * written (`.schema`): a string stays a string, int64 is a number (a bigint past 2^53), timestamps are Dates.
 * A table without Sluice's `.schema` (written by MLRun/storey) is read as storey reads it.
 * An unknown (or expired) entity gets null features.
 *
 * @example
 * const rows = await getOnlineFeatures(fs, [{ user_id: 7 }, { user_id: 8 }], { features: ['score'] });
 * // [{ user_id: 7, score: 0.5 }, { user_id: 8, score: null }]
 */
export async function getOnlineFeatures(featureSet: FeatureSet, entityRows: ReadonlyArray<Record<string, unknown> | unknown>, options: OnlineFeaturesOptions = {}): Promise<OnlineRow[]> {
  const target = onlineTarget(featureSet, options);
  const s = parseRedisTarget(target, featureSet);
  const conn = await openRedis(s.endpoint, { credentials: redisCredentials(options.secrets, s.credentialsPrefix), ...(s.cluster !== undefined ? { cluster: s.cluster } : {}) });
  try {
    const sKey = schemaKey(s.keyPrefix, s.table);
    const schema: TableSchema | undefined = await readTableSchema(conn, sKey, { foreign: 'ignore' });
    if (!schema) return await readStoreyTable(conn, s, featureSet, entityRows, options.features);
    const byName = new Map(schema.features.map((c) => [c.name, c]));
    const features = (options.features ?? schema.features.map((c) => c.name)).map((f) => {
      const c = byName.get(f);
      if (!c) throw new BadInputError(`feature "${f}" is not in table ${s.table}; features: ${[...byName.keys()].join(', ')}`);
      return c;
    });
    const requested = entityRows.map((row, i) => keyValues(row, schema.entities, i));
    const keys = requested.map((vals) => hashKey(s.keyPrefix, s.table, entityString(vals.map((v, j) => keyValueString(v, schema.entities[j] as StoredColumn)))));
    const replies = await hashFields(conn, keys, features.map((c) => c.name), s.table);
    return requested.map((vals, i) => {
      const out: OnlineRow = {};
      schema.entities.forEach((e, j) => (out[e.name] = entityValue(vals[j], e)));
      const r = replies[i] ?? [];
      features.forEach((c, j) => (out[c.name] = decodeValue(r[j] ?? null, c)));
      return out;
    });
  } finally {
    await conn.close();
  }
}

/** HMGET of some fields of every key (one pipeline; one call per key on a cluster). */
async function hashFields(conn: RedisConnection, keys: string[], fields: string[], table: string): Promise<Array<Array<string | null>>> {
  try {
    if (fields.length === 0) return keys.map(() => []);
    if (conn.isCluster) return await Promise.all(keys.map((k) => conn.client.hmget(k, ...fields)));
    const p = conn.client.pipeline();
    for (const k of keys) p.hmget(k, ...fields);
    return ((await p.exec()) ?? []).map(([err, r]) => {
      if (err) throw err;
      return r as Array<string | null>;
    });
  } catch (err) {
    throw conn.fail(err, `HMGET of ${keys.length} entities in table ${table}`);
  }
}

/** HGETALL of every key (one pipeline; one call per key on a cluster). */
async function wholeHashes(conn: RedisConnection, keys: string[], table: string): Promise<Array<Record<string, string>>> {
  try {
    if (conn.isCluster) return await Promise.all(keys.map((k) => conn.client.hgetall(k)));
    const p = conn.client.pipeline();
    for (const k of keys) p.hgetall(k);
    return ((await p.exec()) ?? []).map(([err, r]) => {
      if (err) throw err;
      return r as Record<string, string>;
    });
  } catch (err) {
    throw conn.fail(err, `HGETALL of ${keys.length} entities in table ${table}`);
  }
}

/**
 * Reads a table that has no Sluice `.schema` (written by MLRun/storey): keys from the entity values (types as
 * declared in the feature set, else as given), values decoded as storey decodes them, internal `\x01` fields and
 * the entity columns MLRun stores in the hash left out. Without `features` and without declared `spec.features`,
 * the features are the fields the requested entities hold. When none of the requested entities exists either, the
 * table is taken to be missing (a NotFoundError), not silently empty.
 */
async function readStoreyTable(conn: RedisConnection, s: RedisTargetSettings, featureSet: FeatureSet, entityRows: ReadonlyArray<unknown>, wanted: string[] | undefined): Promise<OnlineRow[]> {
  const names = featureSet.entityNames;
  const declared = new Map(featureSet.spec.entities.map((e) => [e.name, e.valueType]));
  const requested = entityRows.map((row, i) => keyValues(row, names.map((name) => ({ name, type: 'string' as const })), i));
  const cols = requested.map((vals) => vals.map((v, j) => storeyEntityColumn(names[j] as string, declared.get(names[j] as string), v)));
  const keys = requested.map((vals, i) => hashKey(s.keyPrefix, s.table, entityString(vals.map((v, j) => keyValueString(v, (cols[i] as StoredColumn[])[j] as StoredColumn)))));
  let features: string[];
  let values: Array<Array<string | null>>;
  if (wanted !== undefined || (featureSet.spec.features ?? []).length > 0) {
    features = wanted ?? storeyFeatureNames(featureSet, []);
    values = await hashFields(conn, keys, features, s.table);
  } else {
    const all = await wholeHashes(conn, keys, s.table);
    features = storeyFeatureNames(featureSet, [...new Set(all.flatMap((h) => Object.keys(h)))]);
    values = all.map((h) => features.map((f) => h[f] ?? null));
  }
  if (keys.length > 0 && values.every((r) => r.every((v) => v === null)) && !(await anyExists(conn, keys))) {
    throw new NotFoundError(
      `feature set "${featureSet.name}": no table schema at ${JSON.stringify(schemaKey(s.keyPrefix, s.table))} on ${s.endpoint.display}, and none of the ${keys.length} requested entities has a hash (e.g. ${JSON.stringify(keys[0])}); ingest the feature set into this Redis first, or check the target path and key_prefix`,
    );
  }
  return requested.map((vals, i) => {
    const out: OnlineRow = {};
    names.forEach((n, j) => (out[n] = entityValue(vals[j], (cols[i] as StoredColumn[])[j] as StoredColumn)));
    features.forEach((f, j) => (out[f] = decodeStoreyValue(values[i]?.[j] ?? null)));
    return out;
  });
}

/** Whether any of the keys exists (EXISTS per key; only asked when every requested field came back empty). */
async function anyExists(conn: RedisConnection, keys: string[]): Promise<boolean> {
  try {
    const counts = await Promise.all(keys.map((k) => conn.client.exists(k)));
    return counts.some((c) => c > 0);
  } catch (err) {
    throw conn.fail(err, `EXISTS of ${keys.length} entities`);
  }
}
