/**
 * Test helpers for the S3 file system against moto: options for the shared test endpoint, unique buckets, a
 * private moto server with IAM authentication turned on, and a loopback proxy that answers 503 first.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, request } from 'node:http';
import type { Server } from 'node:http';
import { connect, createServer as createNetServer } from 'node:net';
import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import type { S3FileSystemOptions } from '../../../connectors/s3/index.js';
import { services } from '../../support/services.js';

/** Options that reach a moto server with dummy credentials (moto accepts any unless its auth is on). */
export function motoOptions(extra: S3FileSystemOptions = {}, endpoint = services.s3Endpoint()): S3FileSystemOptions {
  return { ...extra, storageOptions: { endpoint_url: endpoint, key: 'testing', secret: 'testing', ...extra.storageOptions } };
}

/** A bucket name no other test uses (lower case, no underscores). */
export function uniqueBucket(prefix = 'sluice'): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/** A raw SDK client, to set up buckets and check what the file system left behind. */
export function rawClient(endpoint = services.s3Endpoint(), credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' }): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export async function createBucket(client: S3Client, bucket: string): Promise<void> {
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
}

/** Pending multipart uploads of a bucket (under `prefix`). */
export async function pendingUploads(client: S3Client, bucket: string, prefix?: string): Promise<number> {
  const res = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: prefix }));
  return res.Uploads?.length ?? 0;
}

/** Every key of a bucket under `prefix`, with the raw client. */
export async function allKeys(client: S3Client, bucket: string, prefix = ''): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const res = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of res.Contents ?? []) if (o.Key !== undefined) keys.push(o.Key);
    token = res.IsTruncated ? res.NextContinuationToken : undefined;
  } while (token !== undefined);
  return keys;
}

/** Empties and removes a bucket: objects, pending multipart uploads, then the bucket. */
export async function removeBucket(client: S3Client, bucket: string): Promise<void> {
  const keys = await allKeys(client, bucket);
  for (let i = 0; i < keys.length; i += 1000) {
    await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.slice(i, i + 1000).map((Key) => ({ Key })) } }));
  }
  const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
  for (const u of uploads.Uploads ?? []) await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: u.Key, UploadId: u.UploadId }));
  await client.send(new DeleteBucketCommand({ Bucket: bucket }));
}

/** A free loopback TCP port (nothing listens on it once this resolves). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createNetServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: '127.0.0.1', port });
    sock.once('connect', () => (sock.destroy(), resolve(true)));
    sock.once('error', () => (sock.destroy(), resolve(false)));
  });
}

/** A moto server of this test file's own (on a free loopback port), for tests that change its global state. */
export async function startPrivateMoto(): Promise<{ endpoint: string; stop(): void }> {
  const port = await freePort();
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const end = Date.now() + 30_000;
  while (!(await reachable(port))) {
    if (Date.now() > end || child.exitCode !== null) {
      child.kill();
      throw new Error(`moto_server did not start on port ${port}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => void child.kill() };
}

/** Calls moto's IAM query API while authentication is still off (any signature passes then). */
async function iam(endpoint: string, params: Record<string, string>): Promise<string> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: 'AWS4-HMAC-SHA256 Credential=AKIASETUP/20250101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=00',
    },
    body: new URLSearchParams({ ...params, Version: '2010-05-08' }).toString(),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`IAM ${params.Action ?? ''} failed: ${text}`);
  return text;
}

/** Creates an IAM user with an access key on a moto server; `allowS3` attaches a policy allowing `s3:*`. */
export async function createIamUser(endpoint: string, name: string, allowS3: boolean): Promise<{ accessKeyId: string; secretAccessKey: string }> {
  await iam(endpoint, { Action: 'CreateUser', UserName: name });
  if (allowS3) {
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] });
    await iam(endpoint, { Action: 'PutUserPolicy', UserName: name, PolicyName: 'all-s3', PolicyDocument: policy });
  }
  const xml = await iam(endpoint, { Action: 'CreateAccessKey', UserName: name });
  const accessKeyId = /<AccessKeyId>([^<]+)<\/AccessKeyId>/.exec(xml)?.[1];
  const secretAccessKey = /<SecretAccessKey>([^<]+)<\/SecretAccessKey>/.exec(xml)?.[1];
  if (accessKeyId === undefined || secretAccessKey === undefined) throw new Error(`IAM CreateAccessKey answered without a key: ${xml}`);
  return { accessKeyId, secretAccessKey };
}

/** Turns moto's IAM authentication on: every later request must be signed by a known key and allowed. */
export async function enableMotoAuth(endpoint: string): Promise<void> {
  const res = await fetch(`${endpoint}/moto-api/reset-auth`, { method: 'POST', body: '0' });
  if (!res.ok) throw new Error(`moto reset-auth failed: ${res.status}`);
}

/**
 * A loopback HTTP proxy in front of `target` that answers the first `failures` requests accepted by `match`
 * with `503 SlowDown` and passes everything else through. `seen` counts the matching requests.
 */
export async function startFlakyProxy(target: string, failures: number, match: (method: string, url: string) => boolean): Promise<{ endpoint: string; seen(): number; close(): Promise<void> }> {
  const t = new URL(target);
  let seen = 0;
  let left = failures;
  const server: Server = createServer((req, res) => {
    if (match(req.method ?? '', req.url ?? '')) {
      seen += 1;
      if (left > 0) {
        left -= 1;
        req.resume();
        const body = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>';
        res.writeHead(503, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) }).end(req.method === 'HEAD' ? undefined : body);
        return;
      }
    }
    const up = request({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers: req.headers }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    });
    up.once('error', (err) => res.destroy(err));
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    seen: () => seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
