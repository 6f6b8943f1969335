import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AbortedError } from '../../../src/index.js';
import { S3FileSystem } from '../../../connectors/s3/index.js';
import { uniqueName } from '../../support/services.js';
import { createBucket, motoOptions, rawClient, removeBucket, uniqueBucket } from './s3-fixture.js';

const bucket = uniqueBucket('sluice-read');
const client = rawClient();
const fs = new S3FileSystem(motoOptions());
const MiB = 1024 * 1024;
const data = Buffer.alloc(6 * MiB);
for (let i = 0; i < data.length; i += 1) data[i] = (i * 7 + (i >> 10)) & 0xff;
let path: string;

beforeAll(async () => {
  await createBucket(client, bucket);
  path = `s3://${bucket}/${uniqueName('r')}/data.bin`;
  await fs.write(path, data);
});
afterAll(async () => {
  await removeBucket(client, bucket);
  client.destroy();
  fs.destroy();
});

describe('S3 reads', () => {
  it('asOpenRead streams an object for the file sources, in several chunks', async () => {
    const openRead = fs.asOpenRead();
    const stream = await openRead(path);
    const hash = createHash('sha256');
    let chunks = 0;
    for await (const c of stream) {
      hash.update(c as Buffer);
      chunks += 1;
    }
    expect(chunks).toBeGreaterThan(1);
    expect(hash.digest('hex')).toBe(createHash('sha256').update(data).digest('hex'));
  });

  it('fetches byte ranges (the Parquet footer pattern) without reading the whole object', async () => {
    const size = (await fs.stat(path))?.size ?? 0;
    expect(size).toBe(data.length);
    const tail = await fs.read(path, { range: { start: size - 8, end: size } });
    expect(Buffer.from(tail).equals(data.subarray(size - 8))).toBe(true);
    const mid = await fs.read(path, { range: { start: 3 * MiB - 5, end: 3 * MiB + 5 } });
    expect(Buffer.from(mid).equals(data.subarray(3 * MiB - 5, 3 * MiB + 5))).toBe(true);
  });

  it('an abort while streaming destroys the stream with an AbortedError naming the path', async () => {
    const ac = new AbortController();
    const stream = await fs.openRead(path, { signal: ac.signal });
    const err = await (async () => {
      try {
        for await (const _ of stream) ac.abort();
        return undefined;
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(AbortedError);
    expect((err as Error).message).toBe(`openRead ${path}: aborted`);
  });
});
