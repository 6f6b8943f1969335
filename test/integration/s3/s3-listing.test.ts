import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileStat } from '../../../src/index.js';
import { S3FileSystem } from '../../../connectors/s3/index.js';
import { uniqueName } from '../../support/services.js';
import { allKeys, createBucket, motoOptions, rawClient, removeBucket, uniqueBucket } from './s3-fixture.js';

const bucket = uniqueBucket('sluice-list');
const client = rawClient();

/** Counts the SDK commands a file system sends, by name. */
function countCommands(fs: S3FileSystem): Map<string, number> {
  const counts = new Map<string, number>();
  fs.client.middlewareStack.add(
    (next, context) => async (args) => {
      counts.set(context.commandName ?? '?', (counts.get(context.commandName ?? '?') ?? 0) + 1);
      return next(args);
    },
    { step: 'initialize', name: 'countCommands' },
  );
  return counts;
}

async function collect(it: AsyncIterable<FileStat>): Promise<FileStat[]> {
  const out: FileStat[] = [];
  for await (const s of it) out.push(s);
  return out;
}

/** Puts `keys` with the raw client, 16 at a time. */
async function putAll(keys: string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 16) {
    await Promise.all(keys.slice(i, i + 16).map((Key) => client.send(new PutObjectCommand({ Bucket: bucket, Key, Body: Key }))));
  }
}

beforeAll(async () => {
  await createBucket(client, bucket);
});
afterAll(async () => {
  await removeBucket(client, bucket);
  client.destroy();
});

describe('S3FileSystem listing and deleting', () => {
  it('pages through ListObjectsV2 with a small page size, one level and recursively', async () => {
    const fs = new S3FileSystem(motoOptions({ listPageSize: 7 }));
    const counts = countCommands(fs);
    try {
      const root = uniqueName('page');
      const files = Array.from({ length: 40 }, (_, i) => `${root}/f${String(i).padStart(2, '0')}.txt`);
      const nested = Array.from({ length: 10 }, (_, i) => `${root}/d${i}/x.txt`);
      await putAll([...files, ...nested]);
      const base = `s3://${bucket}/${root}`;

      const level = await collect(fs.list(base));
      expect(level.map((s) => fs.basename(s.path))).toEqual([...Array.from({ length: 10 }, (_, i) => `d${i}`), ...files.map((f) => f.slice(root.length + 1))]);
      expect(level.filter((s) => s.isDirectory)).toHaveLength(10);
      expect(counts.get('ListObjectsV2Command')).toBe(Math.ceil(50 / 7)); // 10 prefixes + 40 keys, 7 per page

      const all = await collect(fs.list(base, { recursive: true }));
      expect(all.map((s) => s.path)).toEqual([...nested, ...files].map((k) => `s3://${bucket}/${k}`).sort());
      expect(all.every((s) => !s.isDirectory && s.size > 0)).toBe(true);
    } finally {
      fs.destroy();
    }
  });

  it('treats a prefix as a directory and skips directory marker objects', async () => {
    const fs = new S3FileSystem(motoOptions());
    try {
      const root = uniqueName('dir');
      await putAll([`${root}/marker/`, `${root}/marker/a.txt`, `${root}/empty-marker/`]);
      const base = `s3://${bucket}/${root}`;
      expect(await fs.stat(`${base}/marker`)).toMatchObject({ isDirectory: true, size: 0 });
      expect(await fs.stat(`${base}/marker/`)).toMatchObject({ isDirectory: true });
      expect(await fs.stat(`s3://${bucket}`)).toMatchObject({ isDirectory: true });
      expect((await collect(fs.list(`${base}/marker`))).map((s) => s.path)).toEqual([`${base}/marker/a.txt`]);
      expect((await collect(fs.list(base, { recursive: true }))).map((s) => s.path)).toEqual([`${base}/marker/a.txt`]);
      expect(await fs.deletePrefix(base)).toBe(1); // markers go too but are not files
      expect(await allKeys(client, bucket, root)).toEqual([]);
    } finally {
      fs.destroy();
    }
  });

  it('lists 2500 keys in 3 pages and deletes them in batches of at most 1000', { timeout: 120_000 }, async () => {
    const fs = new S3FileSystem(motoOptions());
    const counts = countCommands(fs);
    try {
      const root = uniqueName('many');
      const keys = Array.from({ length: 2500 }, (_, i) => `${root}/${i < 1200 ? 'a' : 'b'}/k${String(i).padStart(4, '0')}`);
      await putAll(keys);
      const base = `s3://${bucket}/${root}`;

      const listed = await collect(fs.list(base, { recursive: true }));
      expect(listed).toHaveLength(2500);
      expect(counts.get('ListObjectsV2Command')).toBe(3);

      // delete(): 1200 paths in two DeleteObjects requests (1000 + 200)
      await fs.delete(listed.slice(0, 1200).map((s) => s.path));
      expect(counts.get('DeleteObjectsCommand')).toBe(2);
      expect(await allKeys(client, bucket, `${root}/a/`)).toEqual([]);

      // deletePrefix(): lists and batch-deletes the remaining 1300 (2 pages, 2 requests)
      expect(await fs.deletePrefix(base)).toBe(1300);
      expect(counts.get('DeleteObjectsCommand')).toBe(4);
      expect(await allKeys(client, bucket, root)).toEqual([]);
    } finally {
      fs.destroy();
    }
  });

  it('renames across buckets and keys with spaces and unicode by copy and delete', async () => {
    const fs = new S3FileSystem(motoOptions());
    const other = uniqueBucket('sluice-list2');
    await createBucket(client, other);
    try {
      const from = `s3://${bucket}/${uniqueName('ren')}/a file ü+%.csv`;
      const to = `s3://${other}/moved/b ü.csv`;
      await fs.write(from, 'a,b\n');
      await fs.rename(from, to);
      expect(await fs.stat(from)).toBeUndefined();
      expect(Buffer.from(await fs.read(to)).toString()).toBe('a,b\n');
      expect(fs.capabilities.atomicRename).toBe(false);
    } finally {
      await removeBucket(client, other);
      fs.destroy();
    }
  });
});
