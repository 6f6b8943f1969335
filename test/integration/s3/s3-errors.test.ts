import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError, SluiceError } from '../../../src/index.js';
import type { FileStat } from '../../../src/index.js';
import { S3FileSystem } from '../../../connectors/s3/index.js';
import { services, uniqueName } from '../../support/services.js';
import { createBucket, freePort, motoOptions, rawClient, removeBucket, startFlakyProxy, uniqueBucket } from './s3-fixture.js';

const bucket = uniqueBucket('sluice-err');
const client = rawClient();
const fs = new S3FileSystem(motoOptions());

async function failure(p: Promise<unknown>): Promise<SluiceError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SluiceError);
  return err as SluiceError;
}

async function collect(it: AsyncIterable<FileStat>): Promise<FileStat[]> {
  const out: FileStat[] = [];
  for await (const s of it) out.push(s);
  return out;
}

beforeAll(async () => {
  await createBucket(client, bucket);
});
afterAll(async () => {
  await removeBucket(client, bucket);
  client.destroy();
  fs.destroy();
});

describe('S3 not-found errors', () => {
  it('a missing key is a NotFoundError naming the path, the call, the bucket and the key', async () => {
    const key = `${uniqueName('nf')}/missing.parquet`;
    const err = await failure(fs.read(`s3://${bucket}/${key}`));
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err.message).toBe(`read s3://${bucket}/${key}: no such key (S3 GetObject on bucket "${bucket}", key "${key}" at ${services.s3Endpoint()})`);
    const open = await failure(fs.openRead(`s3://${bucket}/${key}`, { range: { start: 3, end: 3 } }));
    expect(open).toBeInstanceOf(NotFoundError);
    expect(open.message).toContain('HeadObject');
  });

  it('a missing bucket is a NotFoundError naming the bucket, for reads, writes, stat and list', async () => {
    const ghost = uniqueBucket('ghost');
    const calls: Array<[string, () => Promise<unknown>, string]> = [
      ['read', () => fs.read(`s3://${ghost}/a.csv`), 'GetObject'],
      ['close', () => fs.write(`s3://${ghost}/a.csv`, 'x'), 'PutObject'],
      ['stat', () => fs.stat(`s3://${ghost}/a.csv`), 'ListObjectsV2'],
      ['stat', () => fs.stat(`s3://${ghost}`), 'HeadBucket'],
      ['list', () => collect(fs.list(`s3://${ghost}/dir`)), 'ListObjectsV2'],
    ];
    for (const [op, call, s3Call] of calls) {
      const err = await failure(call());
      expect(err, op).toBeInstanceOf(NotFoundError);
      expect(err.message).toMatch(new RegExp(`^${op} s3://${ghost}.*: bucket "${ghost}" does not exist \\(S3 ${s3Call} on bucket "${ghost}"`));
    }
  });

  it('a missing bucket fails a multipart write at the first part and leaves nothing', async () => {
    const ghost = uniqueBucket('ghost');
    const small = new S3FileSystem(motoOptions({ partSize: 5 * 1024 * 1024 }));
    try {
      const writer = await small.createWriter(`s3://${ghost}/big.bin`);
      const err = await failure(writer.write(new Uint8Array(5 * 1024 * 1024)));
      expect(err).toBeInstanceOf(NotFoundError);
      expect(err.message).toContain('CreateMultipartUpload');
      await writer.abort();
      await expect(writer.close()).rejects.toBe(err);
    } finally {
      small.destroy();
    }
  });
});

describe('S3 unreachable endpoint and retries', () => {
  it('ECONNREFUSED is a retryable SluiceError naming the endpoint, after the SDK retried', async () => {
    const endpoint = `http://127.0.0.1:${await freePort()}`;
    const dead = new S3FileSystem(motoOptions({ maxAttempts: 3 }, endpoint));
    try {
      const err = await failure(dead.read(`s3://${bucket}/a.csv`));
      expect(err.retryable).toBe(true);
      expect(err.code).toBe('IO');
      expect(err.message).toBe(
        `read s3://${bucket}/a.csv: cannot reach the S3 endpoint ${endpoint} (ECONNREFUSED) after 3 attempts (S3 GetObject on bucket "${bucket}", key "a.csv" at ${endpoint}); check that the endpoint is up and endpoint_url is right`,
      );
    } finally {
      dead.destroy();
    }
  });

  it('retries 503 SlowDown with backoff and then succeeds (loopback proxy in front of moto)', async () => {
    const key = `${uniqueName('retry')}/a.csv`;
    await fs.write(`s3://${bucket}/${key}`, 'a,b\n1,2\n');
    const proxy = await startFlakyProxy(services.s3Endpoint(), 2, (method, url) => method === 'GET' && url.includes(key));
    const flaky = new S3FileSystem(motoOptions({}, proxy.endpoint));
    try {
      expect(Buffer.from(await flaky.read(`s3://${bucket}/${key}`)).toString()).toBe('a,b\n1,2\n');
      expect(proxy.seen()).toBe(3);
    } finally {
      flaky.destroy();
      await proxy.close();
    }
  });

  it('gives up after maxAttempts with a retryable error that says so', async () => {
    const key = `${uniqueName('retry')}/b.csv`;
    await fs.write(`s3://${bucket}/${key}`, 'x');
    const proxy = await startFlakyProxy(services.s3Endpoint(), 100, (method, url) => method === 'GET' && url.includes(key));
    const flaky = new S3FileSystem(motoOptions({ maxAttempts: 2 }, proxy.endpoint));
    try {
      const err = await failure(flaky.read(`s3://${bucket}/${key}`));
      expect(err.retryable).toBe(true);
      expect(err.message).toContain('S3 is throttling or failing (HTTP 503 SlowDown) after 2 attempts');
      expect(err.message).toContain(`key "${key}"`);
      expect(proxy.seen()).toBe(2);
    } finally {
      flaky.destroy();
      await proxy.close();
    }
  });

  it('retries a 503 on an upload part and completes the object', { timeout: 60_000 }, async () => {
    const key = `${uniqueName('retry')}/big.bin`;
    const proxy = await startFlakyProxy(services.s3Endpoint(), 1, (method, url) => method === 'PUT' && url.includes('partNumber=2'));
    const flaky = new S3FileSystem(motoOptions({ partSize: 5 * 1024 * 1024 }, proxy.endpoint));
    try {
      const data = Buffer.alloc(12 * 1024 * 1024, 7);
      async function* chunks(): AsyncIterable<Uint8Array> {
        yield data.subarray(0, 6 * 1024 * 1024); // two parts
        yield data.subarray(6 * 1024 * 1024);
      }
      expect(await flaky.write(`s3://${bucket}/${key}`, chunks())).toEqual({ size: data.byteLength });
      expect(proxy.seen()).toBe(2);
      expect((await fs.stat(`s3://${bucket}/${key}`))?.size).toBe(data.byteLength);
    } finally {
      flaky.destroy();
      await proxy.close();
    }
  });
});
