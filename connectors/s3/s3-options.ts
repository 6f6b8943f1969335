import { SpecError, redactUrl } from '../../src/index.js';

/** Where the credentials of an S3 file system came from; error messages name it (never the secret). */
export type CredentialsSource = 'storage_options' | 'secrets' | 'default chain';

/** Secrets by reference, e.g. a run's `SecretsStore`. */
export interface SecretsLookup {
  get(key: string): string | undefined;
}

/** How S3 retries throttling (`SlowDown`, 503) and 5xx answers: the SDK's retry modes. */
export type S3RetryMode = 'standard' | 'adaptive';

/**
 * Options of an S3 file system. Endpoint, region and credentials are looked up in this order:
 * 1. `storageOptions` — the names MLRun users pass to s3fs: `endpoint_url`, `region`, `force_path_style`, `key`,
 *    `secret`, `token` (also `client_kwargs: { endpoint_url, region_name }`);
 * 2. `secrets` — `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `S3_ENDPOINT_URL`, each named
 *    `<credentialsPrefix>_<NAME>` when `credentialsPrefix` is set;
 * 3. the default chain — `AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL` and `AWS_REGION` / `AWS_DEFAULT_REGION` from
 *    `env`, credentials from the AWS SDK's default provider chain (environment, profile files, instance roles).
 */
export interface S3FileSystemOptions {
  storageOptions?: Readonly<Record<string, unknown>>;
  secrets?: SecretsLookup;
  credentialsPrefix?: string;
  /** Environment for the endpoint and region of the default chain; default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Attempts per request, the first included (default 5). */
  maxAttempts?: number;
  /** Default `standard` (exponential backoff with jitter). */
  retryMode?: S3RetryMode;
  /** Bytes per multipart upload part (default 8 MiB, at least 5 MiB); also the largest single PUT. */
  partSize?: number;
  /** Parts a writer uploads at once (default 2); a writer holds at most `(queueSize + 1) * partSize` bytes. */
  queueSize?: number;
  /** Keys per ListObjectsV2 page (default 1000, at most 1000). */
  listPageSize?: number;
  /** Keys per DeleteObjects request (default 1000, at most 1000). */
  deleteBatchSize?: number;
}

/** The settings an {@link S3FileSystem} runs with, resolved once from {@link S3FileSystemOptions}. */
export interface ResolvedS3Options {
  /** A custom endpoint (MinIO, moto, ...); undefined for AWS itself. */
  endpoint?: string;
  /** Where the endpoint came from, e.g. `storage_options.endpoint_url` or `env AWS_ENDPOINT_URL_S3`. */
  endpointSource?: string;
  region: string;
  forcePathStyle: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  credentialsSource: CredentialsSource;
  /** For messages: the source, the names looked up and the access key id shortened (never the secret). */
  credentialsDescription: string;
  maxAttempts: number;
  retryMode: S3RetryMode;
  partSize: number;
  queueSize: number;
  listPageSize: number;
  deleteBatchSize: number;
}

const MiB = 1024 * 1024;
/** The storage_options keys S3 understands. */
export const S3_STORAGE_OPTION_KEYS = ['endpoint_url', 'region', 'force_path_style', 'key', 'secret', 'token', 'client_kwargs'] as const;
const CLIENT_KWARGS_KEYS = ['endpoint_url', 'region_name'];

/** `AKIA…WXYZ`: enough of an access key id to tell keys apart in a message. */
export function shortKeyId(id: string): string {
  return id.length <= 8 ? `${id.slice(0, 2)}…` : `${id.slice(0, 4)}…${id.slice(-4)}`;
}

function optString(obj: Readonly<Record<string, unknown>>, key: string, where: string): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new SpecError(`${where}.${key}: expected a string, got ${typeof v}`);
  return v;
}

function checkEndpoint(url: string, where: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new SpecError(`${where}: ${JSON.stringify(redactUrl(url))} is not an http(s) URL; expected e.g. http://127.0.0.1:9000`);
  }
  return url;
}

function intOption(value: number | undefined, name: string, dflt: number, min: number, max: number): number {
  if (value === undefined) return dflt;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new SpecError(`S3 option ${name}: ${String(value)} is out of range; expected an integer from ${min} to ${max}`);
  }
  return value;
}

function parseStorageOptions(so: Readonly<Record<string, unknown>>): {
  endpoint?: string;
  region?: string;
  forcePathStyle?: boolean;
  key?: string;
  secret?: string;
  token?: string;
} {
  const unknown = Object.keys(so).filter((k) => !(S3_STORAGE_OPTION_KEYS as readonly string[]).includes(k));
  if (unknown.length > 0) {
    throw new SpecError(`storage_options: unknown key(s) ${unknown.map((k) => JSON.stringify(k)).join(', ')} for S3; known keys: ${S3_STORAGE_OPTION_KEYS.join(', ')}`);
  }
  const ck = so.client_kwargs ?? {};
  if (typeof ck !== 'object' || ck === null || Array.isArray(ck)) throw new SpecError('storage_options.client_kwargs: expected a mapping such as { endpoint_url: ... }');
  const ckObj = ck as Record<string, unknown>;
  const badCk = Object.keys(ckObj).filter((k) => !CLIENT_KWARGS_KEYS.includes(k));
  if (badCk.length > 0) throw new SpecError(`storage_options.client_kwargs: unknown key(s) ${badCk.join(', ')}; known keys: ${CLIENT_KWARGS_KEYS.join(', ')}`);
  const endpointUrl = optString(so, 'endpoint_url', 'storage_options') ?? optString(ckObj, 'endpoint_url', 'storage_options.client_kwargs');
  const fps = so.force_path_style;
  let forcePathStyle: boolean | undefined;
  if (fps === true || fps === 'true') forcePathStyle = true;
  else if (fps === false || fps === 'false') forcePathStyle = false;
  else if (fps !== undefined && fps !== null) throw new SpecError(`storage_options.force_path_style: expected true or false, got ${JSON.stringify(fps)}`);
  return {
    endpoint: endpointUrl === undefined ? undefined : checkEndpoint(endpointUrl, 'storage_options.endpoint_url'),
    region: optString(so, 'region', 'storage_options') ?? optString(ckObj, 'region_name', 'storage_options.client_kwargs'),
    forcePathStyle,
    key: optString(so, 'key', 'storage_options'),
    secret: optString(so, 'secret', 'storage_options'),
    token: optString(so, 'token', 'storage_options'),
  };
}

/**
 * Resolves endpoint, region, path style, credentials and tuning of an S3 file system (precedence: storage
 * options, then secrets, then the default chain). A key without its secret is a `SpecError` naming both.
 */
export function resolveS3Options(o: S3FileSystemOptions = {}): ResolvedS3Options {
  const env = o.env ?? process.env;
  const so = parseStorageOptions(o.storageOptions ?? {});
  const prefix = o.credentialsPrefix === undefined || o.credentialsPrefix === '' ? '' : `${o.credentialsPrefix}_`;
  const secretName = (n: string): string => `${prefix}${n}`;
  const secret = (n: string): string | undefined => {
    const v = o.secrets?.get(secretName(n));
    return v === '' ? undefined : v;
  };

  let credentials: ResolvedS3Options['credentials'];
  let credentialsSource: CredentialsSource = 'default chain';
  let credentialsDescription = 'the AWS SDK default chain (AWS_ACCESS_KEY_ID in the environment, profile files, instance role)';
  if (so.key !== undefined || so.secret !== undefined || so.token !== undefined) {
    if (so.key === undefined || so.secret === undefined) {
      throw new SpecError(`storage_options: ${so.key === undefined ? '"key"' : '"secret"'} is missing; give both "key" and "secret" (and optionally "token"), or neither`);
    }
    credentials = { accessKeyId: so.key, secretAccessKey: so.secret, ...(so.token === undefined ? {} : { sessionToken: so.token }) };
    credentialsSource = 'storage_options';
    credentialsDescription = `storage_options key/secret (key ${shortKeyId(so.key)})`;
  } else {
    const id = secret('AWS_ACCESS_KEY_ID');
    const sk = secret('AWS_SECRET_ACCESS_KEY');
    if (id !== undefined || sk !== undefined) {
      if (id === undefined || sk === undefined) {
        const missing = secretName(id === undefined ? 'AWS_ACCESS_KEY_ID' : 'AWS_SECRET_ACCESS_KEY');
        throw new SpecError(`secrets: ${missing} is missing; give both ${secretName('AWS_ACCESS_KEY_ID')} and ${secretName('AWS_SECRET_ACCESS_KEY')}, or neither`);
      }
      const token = secret('AWS_SESSION_TOKEN');
      credentials = { accessKeyId: id, secretAccessKey: sk, ...(token === undefined ? {} : { sessionToken: token }) };
      credentialsSource = 'secrets';
      credentialsDescription = `secrets ${secretName('AWS_ACCESS_KEY_ID')}/${secretName('AWS_SECRET_ACCESS_KEY')} (key ${shortKeyId(id)})`;
    }
  }

  let endpoint: string | undefined;
  let endpointSource: string | undefined;
  const fromSecret = secret('S3_ENDPOINT_URL');
  const ignoreEnv = (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? '').toLowerCase() === 'true';
  if (so.endpoint !== undefined) [endpoint, endpointSource] = [so.endpoint, 'storage_options.endpoint_url'];
  else if (fromSecret !== undefined) [endpoint, endpointSource] = [checkEndpoint(fromSecret, `secret ${secretName('S3_ENDPOINT_URL')}`), `secret ${secretName('S3_ENDPOINT_URL')}`];
  else if (!ignoreEnv) {
    for (const name of ['AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL']) {
      const v = env[name];
      if (v !== undefined && v !== '') {
        [endpoint, endpointSource] = [checkEndpoint(v, `env ${name}`), `env ${name}`];
        break;
      }
    }
  }

  return {
    endpoint,
    endpointSource,
    region: so.region ?? (env.AWS_REGION || undefined) ?? (env.AWS_DEFAULT_REGION || undefined) ?? 'us-east-1',
    // Custom endpoints (MinIO, moto, Ceph) mostly serve path-style requests only.
    forcePathStyle: so.forcePathStyle ?? endpoint !== undefined,
    credentials,
    credentialsSource,
    credentialsDescription,
    maxAttempts: intOption(o.maxAttempts, 'maxAttempts', 5, 1, 20),
    retryMode: o.retryMode ?? 'standard',
    partSize: intOption(o.partSize, 'partSize', 8 * MiB, 5 * MiB, 5 * 1024 * MiB),
    queueSize: intOption(o.queueSize, 'queueSize', 2, 1, 16),
    listPageSize: intOption(o.listPageSize, 'listPageSize', 1000, 1, 1000),
    deleteBatchSize: intOption(o.deleteBatchSize, 'deleteBatchSize', 1000, 1, 1000),
  };
}
