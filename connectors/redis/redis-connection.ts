import { Cluster, Redis } from 'ioredis';
import type { RedisOptions } from 'ioredis';
import { SluiceError, SpecError, errorMessage, redact } from '../../src/index.js';
import type { RedisEndpoint } from './redis-url.js';

/** Where secrets come from: a store looked up by name (values never logged). */
export interface SecretLookup {
  get(key: string): string | undefined;
}

/** User and password for Redis ACL / requirepass, and the secret names they came from. */
export interface RedisCredentials {
  username?: string;
  password?: string;
  /** The secret names looked up, for error messages. */
  names: { user: string; password: string };
}

/**
 * Reads `REDIS_USER` and `REDIS_PASSWORD` from the secrets. With a credentials prefix (the target's
 * `credentials_prefix`, else the secret `CREDENTIALS_PREFIX`) the names are `<prefix>_REDIS_USER` and
 * `<prefix>_REDIS_PASSWORD`, as MLRun's `get_secret_or_env(key, prefix=...)`.
 */
export function redisCredentials(secrets: SecretLookup | undefined, credentialsPrefix?: string): RedisCredentials {
  const prefix = credentialsPrefix ?? secrets?.get('CREDENTIALS_PREFIX');
  const name = (k: string) => (prefix ? `${prefix}_${k}` : k);
  const names = { user: name('REDIS_USER'), password: name('REDIS_PASSWORD') };
  const username = secrets?.get(names.user);
  const password = secrets?.get(names.password);
  return { ...(username ? { username } : {}), ...(password ? { password } : {}), names };
}

/** An open connection to a standalone Redis or a Redis Cluster. */
export interface RedisConnection {
  readonly client: Redis | Cluster;
  readonly isCluster: boolean;
  readonly endpoint: RedisEndpoint;
  /** The standalone client, or the cluster's current masters (SCAN and SCRIPT LOAD run on each). */
  masters(): Redis[];
  /** A Sluice error for a failed Redis call: names the endpoint and what was done, never a secret. */
  fail(err: unknown, what: string): SluiceError;
  close(): Promise<void>;
}

export interface OpenRedisOptions {
  credentials?: RedisCredentials;
  /** true: Redis Cluster; false: standalone; undefined: detect with CLUSTER INFO. */
  cluster?: boolean;
}

/**
 * Connects to the endpoint: `rediss://` uses TLS; credentials come only from the secrets; a cluster is
 * detected with `CLUSTER INFO` unless `cluster` says what it is. Connection errors name the URL (without
 * credentials) and, for an authentication error, the secret names to set.
 */
export async function openRedis(endpoint: RedisEndpoint, o: OpenRedisOptions = {}): Promise<RedisConnection> {
  const creds = o.credentials;
  const secrets = [creds?.password ?? '', creds?.username ?? ''];
  const fail = (err: unknown, what: string): SluiceError => {
    if (err instanceof SluiceError) return err;
    let msg = redact(errorMessage(err), secrets);
    if (/NOAUTH|WRONGPASS|invalid username-password|AUTH/i.test(msg)) {
      msg += `; set the secrets ${creds?.names.user ?? 'REDIS_USER'} and ${creds?.names.password ?? 'REDIS_PASSWORD'}`;
    }
    return new SluiceError('IO', `redis ${endpoint.display}: ${what} failed: ${msg}`, { retryable: !/NOAUTH|WRONGPASS|WRONGTYPE/.test(msg) });
  };
  const base: RedisOptions = {
    ...(creds?.username ? { username: creds.username } : {}),
    ...(creds?.password ? { password: creds.password } : {}),
    ...(endpoint.tls ? { tls: { servername: endpoint.host } } : {}),
    connectTimeout: 10_000,
    maxRetriesPerRequest: 2,
    lazyConnect: true,
  };
  const standalone = new Redis({
    ...base,
    host: endpoint.host,
    port: endpoint.port,
    db: endpoint.db,
    retryStrategy: (times) => (times > 3 ? null : times * 200),
  });
  let lastError: unknown;
  standalone.on('error', (e: unknown) => (lastError = e));
  try {
    await standalone.connect();
  } catch (err) {
    standalone.disconnect();
    throw fail(lastError ?? err, 'connect');
  }
  let isCluster = o.cluster;
  try {
    if (isCluster === undefined) isCluster = /cluster_state:/.test(String(await standalone.call('CLUSTER', 'INFO')));
    else await standalone.ping();
  } catch (err) {
    if (/NOAUTH|WRONGPASS|NOPERM/.test(errorMessage(err))) {
      standalone.disconnect();
      throw fail(err, 'authenticate');
    }
    isCluster = o.cluster ?? false;
  }
  if (!isCluster) return connection(standalone, false, endpoint, fail);
  standalone.disconnect();
  if (endpoint.db !== 0) throw new SpecError(`redis ${endpoint.display}: a Redis Cluster has only database 0; remove the database index from the URL`);
  const { connectTimeout, maxRetriesPerRequest, username, password, tls } = base;
  const cluster = new Cluster([{ host: endpoint.host, port: endpoint.port }], {
    lazyConnect: true,
    enableAutoPipelining: true,
    clusterRetryStrategy: (times) => (times > 3 ? null : times * 200),
    redisOptions: { connectTimeout, maxRetriesPerRequest, ...(username ? { username } : {}), ...(password ? { password } : {}), ...(tls ? { tls } : {}) },
  });
  cluster.on('error', (e: unknown) => (lastError = e));
  cluster.on('node error', (e: unknown) => (lastError = e));
  try {
    await cluster.connect();
  } catch (err) {
    cluster.disconnect();
    throw fail(lastError ?? err, 'connect to the cluster');
  }
  return connection(cluster, true, endpoint, fail);
}

function connection(client: Redis | Cluster, isCluster: boolean, endpoint: RedisEndpoint, fail: RedisConnection['fail']): RedisConnection {
  return {
    client,
    isCluster,
    endpoint,
    fail,
    masters: () => (client instanceof Cluster ? client.nodes('master') : [client]),
    close: async () => {
      try {
        await client.quit();
      } catch {
        client.disconnect();
      }
    },
  };
}
