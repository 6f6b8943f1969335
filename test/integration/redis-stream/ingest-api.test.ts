import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource, DataTargetBase, FeatureSet, SqliteRunDB, ingest } from '../../../connectors/index.js';
import type { RunDB } from '../../../connectors/index.js';
import { services, uniqueName } from '../../support/services.js';
import { tmpDir } from '../../support/tmp-dir.js';
import { duckQuery } from '../../support/duckdb.js';

const stream = uniqueName('stream');
let redis: Redis;
let dir: string;
let cleanup: () => Promise<void>;
let db: RunDB;

beforeAll(async () => {
  redis = new Redis(services.redisUrl());
  for (let i = 0; i < 3; i++) await redis.xadd(stream, '*', 'user', `u${i}`, 'amount', String(i + 0.5), 'ts', `2024-01-05T0${i}:00:00Z`);
  ({ dir, cleanup } = await tmpDir());
  db = new SqliteRunDB({ path: join(dir, 'runs.db') });
});
afterAll(async () => {
  await redis.del(stream, `${stream}:sluice:sluice-clicks`);
  redis.disconnect();
  await db.close();
  await cleanup();
});

describe('ingest() with a redis-stream source', () => {
  it('reads through the built-in connectors, names the group after the feature set, and acknowledges after commit', async () => {
    const fs = new FeatureSet({
      name: 'clicks', entities: ['user'], timestampKey: 'ts',
      source: new DataSource({ kind: 'redis-stream', path: services.redisUrl(), attributes: { stream, schema: { user: 'string', amount: 'float64', ts: 'timestamp' }, block_ms: 100 } }),
      targets: [new DataTargetBase({ name: 'p', kind: 'parquet', path: `${dir}/out/`, partitioned: false })],
    });
    const { result } = await ingest(fs, { db, cwd: dir, runId: '1_1', overwrite: false });
    expect(result?.rowsRead).toBe(3);
    expect((await duckQuery(`SELECT round(sum(amount), 1) AS s FROM read_parquet('${dir}/out/1_1/*.parquet')`))[0]?.s).toBe(4.5);
    const groups = (await redis.xinfo('GROUPS', stream)) as unknown[][];
    const info = Object.fromEntries((groups[0] as unknown[]).reduce<unknown[][]>((acc, v, i, a) => (i % 2 ? acc : [...acc, [v, a[i + 1]]]), []) as Array<[string, unknown]>);
    expect(info.name).toBe('sluice-clicks');
    expect(info.pending).toBe(0);
  });
});
