import { SpecError } from '../../src/index.js';
import type { DataTargetBase, FeatureSet } from '../../src/index.js';
import { DEFAULT_KEY_PREFIX, MLRUN_KEY_PREFIX, defaultTable } from './key-layout.js';
import { mlrunTablePath, parseRedisUrl } from './redis-url.js';
import type { RedisEndpoint } from './redis-url.js';

/** The settings a `redisnosql` target takes from its `attributes` (unknown keys are refused). */
export interface RedisTargetSettings {
  endpoint: RedisEndpoint;
  /** Key prefix (default `sluice:`; `/` with `key_layout: mlrun`). */
  keyPrefix: string;
  /**
   * `sluice` (default): a first numeric path segment of the URL selects the database, the rest is the table.
   * `mlrun`: as MLRun, the whole URL path is the table (a database index in it included) in database 0.
   */
  keyLayout: 'sluice' | 'mlrun';
  /** Table part of every key: the URL path after the db index, else `projects/<project>/featuresets/<name>/`. */
  table: string;
  /** EXPIRE applied on every write; undefined: keys do not expire. */
  ttlSeconds?: number;
  /** Rows per pipeline (default 1000). */
  batchSize: number;
  /** Pipelines in flight at once (default 4). */
  maxInFlight: number;
  /** Rows per EVALSHA call (default 50); on a cluster a call holds rows of one slot. */
  rowsPerCall: number;
  /** Entities whose newest event time this run remembers, so rows into a fresh table skip the Lua guard. */
  trackedEntities: number;
  /**
   * Entities held (rows collapsed per entity) before the oldest are sent: the target's `max_events`
   * (default 10,000).
   */
  windowEntities: number;
  /** A held row is sent at the latest this long after the window last started filling (`flush_after_seconds`, default 900). */
  flushAfterSeconds: number;
  /** true: Redis Cluster; false: standalone; undefined: detect with CLUSTER INFO. */
  cluster?: boolean;
  credentialsPrefix?: string;
}

/** The attribute keys a Redis target accepts. */
export const REDIS_ATTRIBUTES = ['key_prefix', 'ttl_seconds', 'batch_size', 'max_in_flight', 'rows_per_call', 'tracked_entities', 'cluster', 'key_layout'] as const;

/** The Redis URL used when a target has no path: `$SLUICE_REDIS_URL`, else the local default. */
export function defaultRedisUrl(): string {
  return process.env.SLUICE_REDIS_URL ?? 'redis://127.0.0.1:6379';
}

function positiveInt(attrs: Record<string, unknown>, key: string, where: string, dflt: number | undefined): number | undefined {
  const v = attrs[key];
  if (v === undefined || v === null) return dflt;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) {
    throw new SpecError(`${where}.attributes.${key}: ${JSON.stringify(v)} must be a positive integer`);
  }
  return n;
}

function nonNegativeInt(attrs: Record<string, unknown>, key: string, where: string, dflt: number): number {
  const v = attrs[key];
  if (v === 0 || v === '0') return 0;
  return positiveInt(attrs, key, where, dflt) as number;
}

/**
 * Parses a Redis target spec once, at the edge: URL (credentials refused), table, prefix, TTL and batching.
 * @example parseRedisTarget(new DataTargetBase({ kind: 'redisnosql', path: 'redis://127.0.0.1:6379/2', attributes: { ttl_seconds: 3600 } }), fs)
 */
export function parseRedisTarget(target: DataTargetBase, featureSet: FeatureSet): RedisTargetSettings {
  const where = `target "${target.name || target.kind || 'redisnosql'}"`;
  const attrs = target.attributes ?? {};
  for (const k of Object.keys(attrs)) {
    if (!(REDIS_ATTRIBUTES as readonly string[]).includes(k)) {
      throw new SpecError(`${where}.attributes: unknown key "${k}" (value ${JSON.stringify(attrs[k])}); accepted keys: ${REDIS_ATTRIBUTES.join(', ')}`);
    }
  }
  const layout = attrs.key_layout ?? 'sluice';
  if (layout !== 'sluice' && layout !== 'mlrun') {
    throw new SpecError(`${where}.attributes.key_layout: ${JSON.stringify(layout)} must be "sluice" or "mlrun" (mlrun: the URL path, database index included, is the table, in database 0, as MLRun keys it)`);
  }
  const url = target.path ?? defaultRedisUrl();
  const parsed = parseRedisUrl(url, `${where}.path`);
  const mlrunTable = mlrunTablePath(url);
  const endpoint =
    layout === 'mlrun'
      ? { tls: parsed.tls, host: parsed.host, port: parsed.port, db: 0, ...(mlrunTable !== undefined ? { table: mlrunTable } : {}), display: parsed.display.replace(/\/\d+$/, '/0') }
      : parsed;
  const prefix = attrs.key_prefix ?? (layout === 'mlrun' ? MLRUN_KEY_PREFIX : DEFAULT_KEY_PREFIX);
  if (typeof prefix !== 'string') throw new SpecError(`${where}.attributes.key_prefix: ${JSON.stringify(prefix)} must be a string, e.g. "sluice:"`);
  const cluster = attrs.cluster;
  if (cluster !== undefined && typeof cluster !== 'boolean') {
    throw new SpecError(`${where}.attributes.cluster: ${JSON.stringify(cluster)} must be true or false (leave it out to detect)`);
  }
  if (cluster === true && endpoint.db !== 0) {
    throw new SpecError(`${where}.path: a Redis Cluster has only database 0, but the URL selects database ${endpoint.db}`);
  }
  const ttl = positiveInt(attrs, 'ttl_seconds', where, undefined);
  return {
    endpoint,
    keyPrefix: prefix,
    keyLayout: layout,
    table: endpoint.table ?? defaultTable(featureSet.project, featureSet.name),
    ...(ttl !== undefined ? { ttlSeconds: ttl } : {}),
    batchSize: positiveInt(attrs, 'batch_size', where, 1000) as number,
    maxInFlight: positiveInt(attrs, 'max_in_flight', where, 4) as number,
    rowsPerCall: positiveInt(attrs, 'rows_per_call', where, 50) as number,
    trackedEntities: nonNegativeInt(attrs, 'tracked_entities', where, 1_000_000),
    windowEntities: target.maxEvents ?? 10_000,
    flushAfterSeconds: target.flushAfterSeconds ?? 900,
    ...(cluster !== undefined ? { cluster } : {}),
    ...(target.credentialsPrefix ? { credentialsPrefix: target.credentialsPrefix } : {}),
  };
}
