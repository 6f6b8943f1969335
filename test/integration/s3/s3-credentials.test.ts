/**
 * Credentials precedence and authentication errors against a private moto server with IAM authentication on
 * (the shared one accepts any credentials, and turning auth on there would break the other test files).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SluiceError, SpecError } from '../../../src/index.js';
import { S3FileSystem, connector, resolveS3Options } from '../../../connectors/s3/index.js';
import type { S3FileSystemOptions } from '../../../connectors/s3/index.js';
import { createBucket, createIamUser, enableMotoAuth, rawClient, removeBucket, startPrivateMoto, uniqueBucket } from './s3-fixture.js';

let moto: { endpoint: string; stop(): void };
let good: { accessKeyId: string; secretAccessKey: string };
let denied: { accessKeyId: string; secretAccessKey: string };
const bucket = uniqueBucket('sluice-auth');
const key = 'data/part-0.csv';
const path = `s3://${bucket}/${key}`;
const opened: S3FileSystem[] = [];

function secrets(values: Record<string, string>): { get(k: string): string | undefined } {
  return { get: (k) => values[k] };
}

function open(o: S3FileSystemOptions): S3FileSystem {
  const fs = new S3FileSystem(o);
  opened.push(fs);
  return fs;
}

async function failure(p: Promise<unknown>): Promise<SluiceError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SluiceError);
  return err as SluiceError;
}

beforeAll(async () => {
  moto = await startPrivateMoto();
  good = await createIamUser(moto.endpoint, 'sluice-writer', true);
  denied = await createIamUser(moto.endpoint, 'sluice-nobody', false);
  const setup = rawClient(moto.endpoint, good);
  await createBucket(setup, bucket);
  setup.destroy();
  await enableMotoAuth(moto.endpoint);
  const fs = open({ storageOptions: { endpoint_url: moto.endpoint, key: good.accessKeyId, secret: good.secretAccessKey } });
  await fs.write(path, 'a,b\n1,2\n');
}, 60_000);

afterAll(async () => {
  for (const fs of opened) fs.destroy();
  const c = rawClient(moto.endpoint, good);
  await removeBucket(c, bucket).finally(() => c.destroy());
  moto.stop();
});

describe('S3 credentials precedence (moto with IAM auth)', () => {
  const savedEnv = { ...process.env };
  afterEach(() => {
    for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
    Object.assign(process.env, savedEnv);
  });

  it('storage_options beat secrets and the environment', async () => {
    process.env.AWS_ACCESS_KEY_ID = denied.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = denied.secretAccessKey;
    const fs = open({
      storageOptions: { endpoint_url: moto.endpoint, key: good.accessKeyId, secret: good.secretAccessKey },
      secrets: secrets({ AWS_ACCESS_KEY_ID: denied.accessKeyId, AWS_SECRET_ACCESS_KEY: denied.secretAccessKey }),
    });
    expect(fs.credentialsSource).toBe('storage_options');
    expect(Buffer.from(await fs.read(path)).toString()).toBe('a,b\n1,2\n');
  });

  it('secrets (with credentials_prefix) beat the environment; the unprefixed names are not used then', async () => {
    process.env.AWS_ACCESS_KEY_ID = denied.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = denied.secretAccessKey;
    const fs = open({
      storageOptions: { endpoint_url: moto.endpoint },
      credentialsPrefix: 'LAKE',
      secrets: secrets({
        LAKE_AWS_ACCESS_KEY_ID: good.accessKeyId,
        LAKE_AWS_SECRET_ACCESS_KEY: good.secretAccessKey,
        AWS_ACCESS_KEY_ID: denied.accessKeyId,
        AWS_SECRET_ACCESS_KEY: denied.secretAccessKey,
      }),
    });
    expect(fs.credentialsSource).toBe('secrets');
    expect((await fs.stat(path))?.size).toBe(8);
  });

  it('falls back to the default chain: AWS_ENDPOINT_URL_S3 and AWS_ACCESS_KEY_ID from the environment', async () => {
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    process.env.AWS_ENDPOINT_URL_S3 = moto.endpoint;
    process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:1';
    process.env.AWS_ACCESS_KEY_ID = good.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = good.secretAccessKey;
    const fs = connector.createFileSystem(path, { secrets: secrets({}) });
    opened.push(fs);
    expect(fs.credentialsSource).toBe('default chain');
    expect(fs.endpointSource).toBe('env AWS_ENDPOINT_URL_S3');
    expect(fs.settings.forcePathStyle).toBe(true);
    expect(Buffer.from(await fs.read(path, { range: { start: 4, end: 7 } })).toString()).toBe('1,2');
  });
});

describe('S3 authentication errors name the bucket, key, call and credentials source, never the secret', () => {
  it('AccessDenied (a user without an S3 policy) on GetObject, HeadObject and PutObject', async () => {
    const fs = open({ storageOptions: { endpoint_url: moto.endpoint, key: denied.accessKeyId, secret: denied.secretAccessKey } });
    const read = await failure(fs.read(path));
    expect(read.message).toMatch(/^read s3:\/\/.*: access denied \(S3 GetObject on bucket "sluice-auth-[^"]+", key "data\/part-0.csv" at http:\/\/127\.0\.0\.1:\d+; credentials from storage_options key\/secret \(key AKIA…/);
    expect(read.retryable).toBe(false);
    const stat = await failure(fs.stat(path));
    expect(stat.message).toContain('HeadObject');
    expect(stat.message).toContain('HTTP 403');
    const write = await failure(fs.write(`s3://${bucket}/other.csv`, 'x'));
    expect(write.message).toMatch(/^close s3:\/\/.*other\.csv: access denied \(S3 PutObject/);
    for (const e of [read, stat, write]) expect(e.message).not.toContain(denied.secretAccessKey);
  });

  it('InvalidAccessKeyId (an unknown key) from secrets names the secret names', async () => {
    const fs = open({
      storageOptions: { endpoint_url: moto.endpoint },
      credentialsPrefix: 'LAKE',
      secrets: secrets({ LAKE_AWS_ACCESS_KEY_ID: 'AKIAUNKNOWNKEY000000', LAKE_AWS_SECRET_ACCESS_KEY: 'not-a-secret-1234' }),
    });
    const err = await failure(fs.read(path));
    expect(err.message).toContain('the access key id is not known to the endpoint (InvalidAccessKeyId)');
    expect(err.message).toContain('credentials from secrets LAKE_AWS_ACCESS_KEY_ID/LAKE_AWS_SECRET_ACCESS_KEY (key AKIA…0000)');
    expect(err.message).not.toContain('not-a-secret-1234');
  });

  it('SignatureDoesNotMatch (a known key with the wrong secret)', async () => {
    const fs = open({ storageOptions: { endpoint_url: moto.endpoint, key: good.accessKeyId, secret: 'wrong-secret-value' } });
    const err = await failure(fs.read(path));
    expect(err.message).toContain('the secret key does not match the access key id (SignatureDoesNotMatch)');
    expect(err.message).toContain(`key "${key}"`);
    expect(err.message).not.toContain('wrong-secret-value');
  });
});

describe('resolveS3Options', () => {
  it('takes the endpoint from storage_options, then secrets S3_ENDPOINT_URL, then AWS_ENDPOINT_URL_S3, then AWS_ENDPOINT_URL', () => {
    const env = { AWS_ENDPOINT_URL_S3: 'http://s3-env:1', AWS_ENDPOINT_URL: 'http://all-env:2', AWS_REGION: 'eu-west-1' };
    expect(resolveS3Options({ env, storageOptions: { endpoint_url: 'http://so:3' }, secrets: secrets({ S3_ENDPOINT_URL: 'http://sec:4' }) })).toMatchObject({
      endpoint: 'http://so:3',
      endpointSource: 'storage_options.endpoint_url',
      region: 'eu-west-1',
      forcePathStyle: true,
    });
    expect(resolveS3Options({ env, secrets: secrets({ S3_ENDPOINT_URL: 'http://sec:4' }) }).endpointSource).toBe('secret S3_ENDPOINT_URL');
    expect(resolveS3Options({ env }).endpoint).toBe('http://s3-env:1');
    expect(resolveS3Options({ env: { AWS_ENDPOINT_URL: 'http://all-env:2' } }).endpoint).toBe('http://all-env:2');
    expect(resolveS3Options({ env: { ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' } }).endpoint).toBeUndefined();
    const aws = resolveS3Options({ env: {} });
    expect(aws).toMatchObject({ endpoint: undefined, region: 'us-east-1', forcePathStyle: false, credentialsSource: 'default chain' });
    expect(aws.credentials).toBeUndefined();
  });

  it('reads s3fs client_kwargs, force_path_style and a session token', () => {
    const r = resolveS3Options({
      env: {},
      storageOptions: { client_kwargs: { endpoint_url: 'https://minio:9000', region_name: 'ap-south-1' }, force_path_style: false, key: 'k', secret: 's', token: 't' },
    });
    expect(r).toMatchObject({ endpoint: 'https://minio:9000', region: 'ap-south-1', forcePathStyle: false, credentials: { accessKeyId: 'k', secretAccessKey: 's', sessionToken: 't' } });
  });

  it('refuses half credentials, unknown keys, bad endpoints and out-of-range tuning, naming the key', () => {
    expect(() => resolveS3Options({ storageOptions: { key: 'k' } })).toThrow(/storage_options: "secret" is missing/);
    expect(() => resolveS3Options({ credentialsPrefix: 'P', secrets: secrets({ P_AWS_ACCESS_KEY_ID: 'k' }) })).toThrow(/secrets: P_AWS_SECRET_ACCESS_KEY is missing/);
    expect(() => resolveS3Options({ storageOptions: { anon: true } })).toThrow(/unknown key\(s\) "anon" for S3; known keys: endpoint_url/);
    expect(() => resolveS3Options({ storageOptions: { endpoint_url: 'minio:9000' } })).toThrow(/storage_options\.endpoint_url: "minio:9000" is not an http\(s\) URL/);
    expect(() => resolveS3Options({ env: { AWS_ENDPOINT_URL_S3: 'nope' } })).toThrow(/env AWS_ENDPOINT_URL_S3/);
    expect(() => resolveS3Options({ storageOptions: { force_path_style: 'yes' } })).toThrow(/force_path_style: expected true or false, got "yes"/);
    expect(() => resolveS3Options({ partSize: 1024 })).toThrow(/partSize: 1024 is out of range/);
    expect(() => resolveS3Options({ listPageSize: 5000 })).toThrow(SpecError);
    expect(() => connector.createFileSystem('/local/path')).toThrow(/createFileSystem "\/local\/path": not an S3 path/);
  });
});
