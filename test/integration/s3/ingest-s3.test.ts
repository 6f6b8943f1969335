import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource, DataTargetBase, FeatureSet, SqliteRunDB, ingest } from '../../../connectors/index.js';
import type { RunDB } from '../../../connectors/index.js';
import { services } from '../../support/services.js';
import { tmpDir } from '../../support/tmp-dir.js';
import { duckQuery } from '../../support/duckdb.js';
import { allKeys, createBucket, pendingUploads, rawClient, removeBucket, uniqueBucket } from './s3-fixture.js';

const FIXTURE = new URL('../../../fixtures/data/transactions.csv', import.meta.url).pathname;
let client: S3Client;
let bucket: string;
let dir: string;
let cleanup: () => Promise<void>;
let db: RunDB;
const storage = () => ({ endpoint_url: services.s3Endpoint(), key: 'testing', secret: 'testing', region: 'us-east-1' });

beforeAll(async () => {
  client = rawClient();
  bucket = uniqueBucket('ingest');
  await createBucket(client, bucket);
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'raw/transactions.csv', Body: await readFile(FIXTURE) }));
  ({ dir, cleanup } = await tmpDir());
  db = new SqliteRunDB({ path: join(dir, 'runs.db') });
});
afterAll(async () => {
  await db.close();
  await removeBucket(client, bucket);
  await cleanup();
});

describe('ingestion on S3', () => {
  it('reads a CSV from S3 and writes partitioned Parquet to S3 with manifest and _SUCCESS; a Parquet source on S3 prunes a Hive tree', async () => {
    const fs = new FeatureSet({
      name: 'tx3',
      project: 's3',
      entities: ['user_id'],
      timestampKey: 'ts',
      source: new DataSource({ kind: 'csv', path: `s3://${bucket}/raw/transactions.csv`, attributes: { storage_options: storage() } }),
      targets: [new DataTargetBase({ name: 'offline', kind: 'parquet', path: `s3://${bucket}/sets/tx3/`, keyBucketingNumber: 2, timePartitioningGranularity: 'day', storageOptions: storage() })],
    });
    const { result } = await ingest(fs, { db, cwd: dir, runId: '7_7' });
    expect(result?.rowsRead).toBe(2000);
    const keys = await allKeys(client, bucket, 'sets/tx3/7_7/');
    expect(keys).toContain('sets/tx3/7_7/_SUCCESS');
    expect(keys).toContain('sets/tx3/7_7/_manifests/7_7.json');
    expect(keys.filter((k) => k.endsWith('.parquet'))).toHaveLength(6);
    expect(await pendingUploads(client, bucket)).toBe(0);
    expect(fs.status.getTarget('offline')?.path).toBe(`s3://${bucket}/sets/tx3/{run_id}/`);

    // Read the tree back from S3 through the Parquet source, with a time window that prunes two of three days.
    const back = new FeatureSet({
      name: 'tx3-back',
      project: 's3',
      entities: ['user_id'],
      timestampKey: 'ts',
      source: new DataSource({
        kind: 'parquet',
        path: `s3://${bucket}/sets/tx3/7_7/`,
        startTime: '2024-01-06T00:00:00Z',
        endTime: '2024-01-06T23:59:59Z',
        attributes: { storage_options: storage() },
      }),
      targets: [new DataTargetBase({ name: 'local', kind: 'parquet', path: `${dir}/back/`, partitioned: false })],
    });
    const again = await ingest(back, { db, cwd: dir, runId: '8_8' });
    const expected = (await duckQuery(`SELECT count(*) AS n FROM read_csv('${FIXTURE}') WHERE ts > TIMESTAMPTZ '2024-01-06 00:00:00+00' AND ts <= TIMESTAMPTZ '2024-01-06 23:59:59+00'`))[0]?.n;
    expect(again.result?.rowsRead).toBe(expected);
    const cols = await duckQuery(`DESCRIBE SELECT * FROM read_parquet('${dir}/back/8_8/*.parquet')`);
    expect(cols.map((c) => c.column_name)).toEqual(expect.arrayContaining(['user_id', 'amount', 'ts', 'hash2_key', 'year', 'month', 'day']));
  });

  it('a failed run leaves no object of its own on S3 and keeps the committed data', async () => {
    const fs = new FeatureSet({
      name: 'txfail',
      project: 's3',
      entities: ['user_id'],
      timestampKey: 'ts',
      source: new DataSource({ kind: 'csv', path: FIXTURE }),
      targets: [new DataTargetBase({ name: 'offline', kind: 'parquet', path: `s3://${bucket}/sets/fail/`, partitioned: false, storageOptions: storage() })],
    });
    await ingest(fs, { db, cwd: dir, runId: '1_1' });
    const before = await allKeys(client, bucket, 'sets/fail/');
    const broken = FeatureSet.fromDict({ ...fs.toDict(), spec: { ...(fs.toDict().spec as object), source: { kind: 'csv', path: FIXTURE, attributes: { schema: { amount: 'int64' } } } } });
    await expect(ingest(broken, { db, cwd: dir, runId: '2_2', overwrite: false })).rejects.toThrow(/amount/);
    expect(await allKeys(client, bucket, 'sets/fail/')).toEqual(before);
    expect(await pendingUploads(client, bucket)).toBe(0);
  });
});
