/**
 * The Redis online store (`redisnosql`, alias `redis`): a target writer with a server-side event-time guard and
 * a reader, in MLRun/storey's key layout. See FORMAT.md for the keys and encodings.
 *
 * @example
 * const writer = await connector.createTarget(target, { featureSet, runId, overwrite: false, keyFields: ['id'], timeField: 'ts' });
 * const rows = await getOnlineFeatures(featureSet, [{ id: 1 }]);
 * const store = await OnlineStore.open(featureSet); // keeps its connection and the table schema
 */
import type { DataTargetBase, TargetContext } from '../../src/index.js';
import { openRedis, redisCredentials } from './redis-connection.js';
import { parseRedisTarget, REDIS_ATTRIBUTES } from './redis-settings.js';
import type { RedisTargetSettings } from './redis-settings.js';
import { RedisTargetWriter } from './redis-target-writer.js';
import { getOnlineFeatures } from './online-reader.js';

/**
 * Opens a writer for a Redis target: parses the settings (refusing credentials in the URL), reads the
 * credentials from the secrets and connects (standalone or cluster).
 */
export async function createTarget(target: DataTargetBase, ctx: TargetContext): Promise<RedisTargetWriter> {
  const settings = parseRedisTarget(target, ctx.featureSet);
  const conn = await openRedis(settings.endpoint, {
    credentials: redisCredentials(ctx.secrets, settings.credentialsPrefix),
    ...(settings.cluster !== undefined ? { cluster: settings.cluster } : {}),
  });
  return new RedisTargetWriter(conn, settings, {
    keyFields: ctx.keyFields,
    ...(ctx.timeField ? { timeField: ctx.timeField } : {}),
    overwrite: ctx.overwrite,
    where: `target "${target.name || 'redisnosql'}"`,
  });
}

/** Validates a Redis target spec once (throws a SpecError naming the bad key). */
export function parseTarget(target: DataTargetBase, featureSet: Parameters<typeof parseRedisTarget>[1]): RedisTargetSettings {
  return parseRedisTarget(target, featureSet);
}

/** The connector module (connectors/registry.ts loads it lazily for `redisnosql` and `redis`). */
export const connector = {
  kind: 'redisnosql',
  aliases: ['redis'],
  targetSettings: REDIS_ATTRIBUTES,
  // Upserts per entity (append and overwrite); rows sent before a failure stay: not transactional.
  targetCapabilities: { files: false, append: true, transactional: false },
  parseTarget,
  createTarget,
  getOnlineFeatures,
} as const;

export { getOnlineFeatures, onlineTarget, REDIS_TARGET_KINDS } from './online-reader.js';
export type { OnlineFeaturesOptions, OnlineRow } from './online-reader.js';
export { OnlineStore } from './online-store.js';
export type { OnlineStoreOptions } from './online-store.js';
export { RedisTargetWriter } from './redis-target-writer.js';
export type { RedisCommitResult, RedisTargetWriterOptions } from './redis-target-writer.js';
export { parseRedisTarget, REDIS_ATTRIBUTES, defaultRedisUrl } from './redis-settings.js';
export type { RedisTargetSettings } from './redis-settings.js';
export { parseRedisUrl } from './redis-url.js';
export type { RedisEndpoint } from './redis-url.js';
export { openRedis, redisCredentials } from './redis-connection.js';
export type { RedisConnection, RedisCredentials, SecretLookup, OpenRedisOptions } from './redis-connection.js';
export { DEFAULT_KEY_PREFIX, EVENT_TIME_FIELD, MLRUN_KEY_PREFIX, defaultTable, entityString, hashKey, schemaKey, tablePattern } from './key-layout.js';
export { GUARD_SCRIPT, GUARD_SHA } from './guard-script.js';
export { purgeTable } from './purge-table.js';
export type { TableSchema, StoredColumn, StoredTypeName } from './table-schema.js';
export { encodeColumn, encodeFloat, encodeFloat32, encodeTimestamp } from './value-encoding.js';
export { decodeValue } from './value-decoding.js';
export { decodeStoreyValue } from './storey-decoding.js';
export { keyValueString, keyColumnStrings } from './key-strings.js';
