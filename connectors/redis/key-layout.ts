import { createHash } from 'node:crypto';

/** The default key prefix (SPEC §6); MLRun/storey's standalone default is `storey:`. */
export const DEFAULT_KEY_PREFIX = 'sluice:';

/** MLRun's key prefix (`RedisNoSqlTarget.get_table_object`: `RedisDriver(key_prefix="/")`), the `key_layout: mlrun` default. */
export const MLRUN_KEY_PREFIX = '/';

/**
 * The hidden hash field holding the newest event time written for the entity, as integer epoch microseconds.
 * It starts with `\x01`, like storey's internal fields, so readers that list "static" fields skip it.
 */
export const EVENT_TIME_FIELD = '\x01_sluice_ts_';

/** The table of a feature set when the target names none: `projects/<project>/featuresets/<name>/`. */
export function defaultTable(project: string, name: string): string {
  return `projects/${project}/featuresets/${name}/`;
}

/**
 * The entity string of a key, as storey's `stringify_key`: one value → itself; two → `k1.k2`; three or more →
 * `k1.` + sha1 hex of the other values concatenated. Values are already Python `str()` forms.
 * @example entityString(['a', 'b', 'c']) // 'a.' + sha1('bc')
 */
export function entityString(values: readonly string[]): string {
  if (values.length === 1) return values[0] as string;
  if (values.length === 2) return `${values[0] as string}.${values[1] as string}`;
  return `${values[0] as string}.${createHash('sha1').update(values.slice(1).join(''), 'utf8').digest('hex')}`;
}

/** The hash key of one entity: `{<prefix><table>:<entity>}:static`; the braces are a Redis Cluster hash tag. */
export function hashKey(prefix: string, table: string, entity: string): string {
  return `{${prefix}${table}:${entity}}:static`;
}

/** The key of a table's `.schema` string (JSON): `{<prefix><table>:.schema}`. */
export function schemaKey(prefix: string, table: string): string {
  return `{${prefix}${table}:.schema}`;
}

/** A SCAN MATCH pattern for every key of a table (entity hashes and `.schema`), glob characters escaped. */
export function tablePattern(prefix: string, table: string): string {
  return `{${escapeGlob(prefix + table)}:*`;
}

function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, '\\$&');
}
