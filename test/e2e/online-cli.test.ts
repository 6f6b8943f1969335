import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { deleteKeys } from '../support/redis-keys.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, sluice } from '../support/cli.js';
import { duckQuery } from '../support/duckdb.js';
import { services, uniqueName } from '../support/services.js';
import { tmpDir } from '../support/tmp-dir.js';
import { storeySaveKey } from '../support/storey-writer.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const prefix = `${uniqueName('cli')}:`;
let dir: string;
let cleanup: () => Promise<void>;
let redis: Redis;

beforeAll(async () => {
  ensureBuilt();
  ({ dir, cleanup } = await tmpDir());
  await mkdir(join(dir, 'fixtures/specs'), { recursive: true });
  await cp(join(ROOT, 'fixtures/data'), join(dir, 'fixtures/data'), { recursive: true });
  const spec = (await readFile(join(ROOT, 'fixtures/specs/transactions-online.yaml'), 'utf8'))
    .replace('key_prefix: "sluice:"', `key_prefix: "${prefix}"`)
    .replace('redis://127.0.0.1:6379/0', services.redisUrl());
  await writeFile(join(dir, 'fixtures/specs/transactions-online.yaml'), spec);
  redis = new Redis(services.redisUrl());
});
afterAll(async () => {
  await deleteKeys(redis, `{${prefix}*`);
  redis.disconnect();
  await cleanup();
});

describe('sluice online get', () => {
  it('serves the newest features per entity after one ingest into Parquet and Redis; unknown keys give nulls', async () => {
    const ing = await sluice(['ingest', 'fixtures/specs/transactions-online.yaml'], { cwd: dir });
    expect(ing.stderr).toBe('');
    // Redis gets one write per user: the 2,000 rows of 50 users collapse to each user's newest row.
    expect(ing.stdout).toMatch(/offline: 2000 rows, 12 files; online: 50 rows; run/);
    const r = await sluice(['online', 'get', 'fixtures/specs/transactions-online.yaml', 'u001', 'u002', 'nobody', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const got = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    const latest = await duckQuery(
      `SELECT user_id, arg_max(amount, ts) AS amount, arg_max(category, ts) AS category, strftime(max(ts), '%Y-%m-%dT%H:%M:%S.%gZ') AS ts
       FROM read_csv('${dir}/fixtures/data/transactions.csv') WHERE user_id IN ('u001', 'u002') GROUP BY user_id ORDER BY user_id`,
    );
    expect(got.slice(0, 2)).toEqual(latest);
    expect(got[2]).toEqual({ user_id: 'nobody', amount: null, category: null, ts: null });
    const table = await sluice(['online', 'get', 'fixtures/specs/transactions-online.yaml', 'u001'], { cwd: dir });
    expect(table.stdout).toMatch(/user_id\s+amount\s+category\s+ts/);
  });

  it('reads a table MLRun/storey wrote (no .schema): storey decoding, entity fields in the hash left out', async () => {
    const table = 'mlrun/users/';
    const key = (e: string) => `{${prefix}${table}:${e}}:static`;
    await storeySaveKey(redis, key('u1'), [['user_id', 'u1'], ['amount', 12.5], ['big', 4611686018427387904n], ['missing', NaN], ['label', 'x'], ['seen', new Date(Date.UTC(2024, 0, 5))]]);
    const yaml = `kind: FeatureSet
metadata:
  name: users
  project: p1
spec:
  entities: [user_id]
  timestamp_key: ts
  targets:
    - name: online
      kind: redisnosql
      path: ${services.redisUrl()}/${table}
      attributes:
        key_prefix: "${prefix}"
`;
    await writeFile(join(dir, 'mlrun-users.yaml'), yaml);
    const r = await sluice(['online', 'get', 'mlrun-users.yaml', 'u1', '--json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([{ user_id: 'u1', amount: 12.5, big: '4611686018427387904', missing: 'NaN', label: 'x', seen: '2024-01-05T00:00:00.000Z', ts: null }]);
  });
});
