import { createHash } from 'node:crypto';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AbortedError } from '../../../src/index.js';
import { S3FileSystem, partSizeFor } from '../../../connectors/s3/index.js';
import { uniqueName } from '../../support/services.js';
import { allKeys, createBucket, motoOptions, pendingUploads, rawClient, removeBucket, uniqueBucket } from './s3-fixture.js';

const MiB = 1024 * 1024;
const bucket = uniqueBucket('sluice-writer');
const client = rawClient();
const fs = new S3FileSystem(motoOptions());

function pattern(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i += 1) b[i] = (i * 13 + seed) & 0xff;
  return b;
}

beforeAll(async () => {
  await createBucket(client, bucket);
});
afterAll(async () => {
  await removeBucket(client, bucket);
  client.destroy();
  fs.destroy();
});

describe('S3FileWriter multipart upload', () => {
  it('writes 20 MiB in 64 KiB chunks as 3 parts of 8 MiB, with bounded memory, visible only when complete', { timeout: 120_000 }, async () => {
    const key = `${uniqueName('mp')}/part-0.bin`;
    const path = `s3://${bucket}/${key}`;
    const writer = await fs.createWriter(path);
    const hash = createHash('sha256');
    const chunk = 64 * 1024;
    for (let i = 0; i < (20 * MiB) / chunk; i += 1) {
      const c = pattern(chunk, i);
      hash.update(c);
      await writer.write(c);
    }
    expect(writer.partCount).toBe(2); // the third part is still pending
    expect(await pendingUploads(client, bucket, key)).toBe(1);
    expect(await allKeys(client, bucket, key)).toEqual([]);
    // 8 MiB pending + at most queueSize (2) parts of 8 MiB in flight, plus one chunk
    expect(writer.peakBufferedBytes).toBeLessThanOrEqual(3 * 8 * MiB + chunk);
    expect(await writer.close()).toEqual({ size: 20 * MiB });

    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    expect(head.ETag).toMatch(/-3"$/);
    expect(head.ContentLength).toBe(20 * MiB);
    expect(await pendingUploads(client, bucket, key)).toBe(0);
    const back = createHash('sha256').update(await fs.read(path)).digest('hex');
    expect(back).toBe(hash.digest('hex'));
  });

  it('keeps memory at (queueSize + 1) parts with a 5 MiB part size and queue of 1', { timeout: 60_000 }, async () => {
    const small = new S3FileSystem(motoOptions({ partSize: 5 * MiB, queueSize: 1 }));
    try {
      const key = `${uniqueName('q1')}/x.bin`;
      const writer = await small.createWriter(`s3://${bucket}/${key}`);
      for (let i = 0; i < 26; i += 1) await writer.write(pattern(512 * 1024, i)); // 13 MiB
      expect(writer.peakBufferedBytes).toBeLessThanOrEqual(2 * 5 * MiB + 512 * 1024);
      await writer.close();
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      expect(head.ETag).toMatch(/-3"$/); // 5 + 5 + 3 MiB
    } finally {
      small.destroy();
    }
  });

  it('sends a small file as one PutObject at close', async () => {
    const key = `${uniqueName('small')}/a.csv`;
    const writer = await fs.createWriter(`s3://${bucket}/${key}`);
    await writer.write(Buffer.from('a,b\n1,2\n'));
    expect(await pendingUploads(client, bucket, key)).toBe(0);
    expect(await allKeys(client, bucket, key)).toEqual([]);
    await writer.close();
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    expect(head.ETag).not.toMatch(/-\d+"$/);
    expect(head.ContentLength).toBe(8);
  });

  it('abort after parts were uploaded aborts the multipart upload and leaves no object', { timeout: 60_000 }, async () => {
    const key = `${uniqueName('abort')}/part-1.bin`;
    const writer = await fs.createWriter(`s3://${bucket}/${key}`);
    for (let i = 0; i < 20; i += 1) await writer.write(pattern(MiB, i));
    expect(await pendingUploads(client, bucket, key)).toBe(1);
    await writer.abort();
    expect(await pendingUploads(client, bucket, key)).toBe(0);
    expect(await allKeys(client, bucket, key)).toEqual([]);
    await expect(writer.write(pattern(1, 0))).rejects.toThrow(/already aborted/);
  });

  it('a body that fails after a part was uploaded leaves no object and no pending upload', { timeout: 60_000 }, async () => {
    const key = `${uniqueName('fail')}/part-2.bin`;
    async function* body(): AsyncIterable<Uint8Array> {
      for (let i = 0; i < 12; i += 1) yield pattern(MiB, i);
      throw new Error('source broke');
    }
    await expect(fs.write(`s3://${bucket}/${key}`, body())).rejects.toThrow('source broke');
    expect(await pendingUploads(client, bucket, key)).toBe(0);
    expect(await allKeys(client, bucket, key)).toEqual([]);
  });

  it('a signal aborted midway rejects the next write with an AbortedError and aborts the upload', { timeout: 60_000 }, async () => {
    const key = `${uniqueName('sig')}/part-3.bin`;
    const ac = new AbortController();
    const writer = await fs.createWriter(`s3://${bucket}/${key}`, { signal: ac.signal });
    for (let i = 0; i < 10; i += 1) await writer.write(pattern(MiB, i));
    ac.abort();
    await expect(writer.write(pattern(MiB, 0))).rejects.toBeInstanceOf(AbortedError);
    await writer.abort();
    expect(await pendingUploads(client, bucket, key)).toBe(0);
    expect(await allKeys(client, bucket, key)).toEqual([]);
  });

  it('doubles the part size every 1000 parts, capped at 5 GiB', () => {
    expect(partSizeFor(8 * MiB, 1)).toBe(8 * MiB);
    expect(partSizeFor(8 * MiB, 1000)).toBe(8 * MiB);
    expect(partSizeFor(8 * MiB, 1001)).toBe(16 * MiB);
    expect(partSizeFor(8 * MiB, 10_000)).toBe(4096 * MiB);
    expect(partSizeFor(1024 * MiB, 9000)).toBe(5 * 1024 * MiB);
  });
});
