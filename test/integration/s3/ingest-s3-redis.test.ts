import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { Redis } from 'ioredis';
import { deleteKeys } from '../../support/redis-keys.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource, DataTargetBase, FeatureSet, SqliteRunDB, getOnlineFeatures, ingest } from '../../../connectors/index.js';
import type { RunDB } from '../../../connectors/index.js';
import { services, uniqueName } from '../../support/services.js';
import { tmpDir } from '../../support/tmp-dir.js';
import { duckQuery } from '../../support/duckdb.js';
import { allKeys, createBucket, rawClient, removeBucket, uniqueBucket } from './s3-fixture.js';

const FIXTURE = new URL('../../../fixtures/data/transactions.csv', import.meta.url).pathname;
let client: S3Client;
let bucket: string;
let dir: string;
let cleanup: () => Promise<void>;
let db: RunDB;
let redis: Redis;
const prefix = `${uniqueName('it')}:`;
const storage = () => ({ endpoint_url: services.s3Endpoint(), key: 'testing', secret: 'testing', region: 'us-east-1' });

beforeAll(async () => {
  client = rawClient();
  bucket = uniqueBucket('online');
  await createBucket(client, bucket);
  ({ dir, cleanup } = await tmpDir());
  db = new SqliteRunDB({ path: join(dir, 'runs.db') });
  redis = new Redis(services.redisUrl());
});
afterAll(async () => {
  await deleteKeys(redis, `{${prefix}*`);
  redis.disconnect();
  await db.close();
  await removeBucket(client, bucket);
  await cleanup();
});

const onlineTarget = () => new DataTargetBase({ name: 'online', kind: 'redisnosql', path: services.redisUrl(), attributes: { key_prefix: prefix, ttl_seconds: 3600 } });

describe('one run: a Parquet source on S3 into partitioned Parquet on S3 and into Redis', () => {
  it('writes both targets, serves the newest values per entity, and a replay of older data leaves Redis unchanged', async () => {
    // Stage the raw data on S3 as one Parquet file.
    const stage = new FeatureSet({
      name: 'stage', entities: ['user_id'], timestampKey: 'ts',
      source: new DataSource({ kind: 'csv', path: FIXTURE }),
      targets: [new DataTargetBase({ name: 'raw', kind: 'parquet', path: `s3://${bucket}/raw/tx.parquet`, storageOptions: storage() })],
    });
    await ingest(stage, { db, cwd: dir, runId: '1_1' });

    const fs = new FeatureSet({
      name: 'tx', project: 'online', entities: ['user_id'], timestampKey: 'ts',
      source: new DataSource({ kind: 'parquet', path: `s3://${bucket}/raw/1_1/tx.parquet`, attributes: { storage_options: storage() } }),
      targets: [
        new DataTargetBase({ name: 'offline', kind: 'parquet', path: `s3://${bucket}/sets/tx/`, keyBucketingNumber: 4, timePartitioningGranularity: 'day', storageOptions: storage() }),
        onlineTarget(),
      ],
    });
    const { run, result } = await ingest(fs, { db, cwd: dir, runId: '2_2' });
    // Online: the 2,000 rows of 50 users collapse to one write per user (the newest row) before Redis.
    expect(run.status.results?.rows_written).toEqual({ offline: 2000, online: 50 });
    expect(result?.targets.map((t) => t.name)).toEqual(['offline', 'online']);
    expect((await allKeys(client, bucket, 'sets/tx/2_2/')).filter((k) => k.endsWith('.parquet'))).toHaveLength(12);
    expect(fs.status.getTarget('online')).toMatchObject({ status: 'ready', rows: 50, online: true, runId: '2_2' });
    expect(fs.status.getTarget('online')?.lastWritten).toEqual(fs.status.getTarget('offline')?.lastWritten);

    const latest = await duckQuery(`SELECT user_id, arg_max(amount, ts) AS amount, arg_max(category, ts) AS category FROM read_csv('${FIXTURE}') GROUP BY user_id ORDER BY user_id LIMIT 5`);
    const got = await getOnlineFeatures(fs, [...latest.map((r) => ({ user_id: r.user_id })), { user_id: 'nobody' }], { features: ['amount', 'category'] });
    expect(got.slice(0, 5)).toEqual(latest);
    expect(got[5]).toEqual({ user_id: 'nobody', amount: null, category: null });
    const key = `{${prefix}projects/online/featuresets/tx/:u001}:static`;
    expect(await redis.ttl(key)).toBeGreaterThan(3500);

    // Replay only the first day: older events never overwrite newer values.
    const before = await redis.hgetall(key);
    const replay = FeatureSet.fromDict(fs.toDict());
    replay.spec.targets = [onlineTarget()];
    await ingest(replay, { db, cwd: dir, runId: '3_3', overwrite: false, endTime: new Date('2024-01-06T00:00:00Z') });
    expect(await redis.hgetall(key)).toEqual(before);
  });
});
