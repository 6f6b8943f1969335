/**
 * The one place this connector reaches into the Redis connector: URL parsing (credentials in the URL refused)
 * and connecting with credentials from the secrets. Imported by relative path because `connectors/*` otherwise
 * import only from `src/index.ts`; if the two connectors' shared Redis plumbing moves to a common module, only
 * this file changes.
 */
import { openRedis, redisCredentials } from '../redis-connection.js';
import type { RedisConnection, SecretLookup } from '../redis-connection.js';
import { parseRedisUrl } from '../redis-url.js';
import type { StreamOptions } from './stream-options.js';

export type { RedisConnection, SecretLookup };

/**
 * Connects to the Redis of a stream source: `path` is `redis[s]://host:port/db`; `REDIS_USER` /
 * `REDIS_PASSWORD` (prefixed `<credentials_prefix>_` when set) come from the secrets.
 */
export async function openStreamConnection(o: Pick<StreamOptions, 'url' | 'credentialsPrefix'>, secrets?: SecretLookup): Promise<RedisConnection> {
  const endpoint = parseRedisUrl(o.url, 'redis-stream source path');
  return openRedis(endpoint, { credentials: redisCredentials(secrets, o.credentialsPrefix) });
}

/** Checks the URL once (a user or password in it is a SpecError), without connecting. */
export function checkStreamUrl(url: string): void {
  parseRedisUrl(url, 'redis-stream source path');
}
