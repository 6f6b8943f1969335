import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DataSource, DataTargetBase, FeatureSet, SqliteRunDB, ingest } from '../../../connectors/index.js';
import type { RunDB } from '../../../connectors/index.js';
import { duckQuery } from '../../support/duckdb.js';
import { services, uniqueName } from '../../support/services.js';
import { tmpDir } from '../../support/tmp-dir.js';

const SCHEMA = uniqueName('sluice_pg_ingest');
const TABLE = `${SCHEMA}.tx`;
let admin: pg.Client;
let dir: string;
let cleanup: () => Promise<void>;
let db: RunDB;

beforeAll(async () => {
  admin = new pg.Client({ connectionString: services.pgUrl() });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${SCHEMA}`);
  await admin.query(`CREATE TABLE ${TABLE} (id int8 PRIMARY KEY, user_id text NOT NULL, amount numeric(12, 2), big int8, note text, ts timestamptz(6) NOT NULL)`);
  // 2,500 rows over three days, µs times, int8 values past 2^53, some nulls.
  await admin.query(`INSERT INTO ${TABLE}
    SELECT g, 'u' || (g % 17), CASE WHEN g % 10 = 0 THEN NULL ELSE g * 0.25 END, 9007199254740993 + g,
           CASE WHEN g % 7 = 0 THEN NULL ELSE 'note ' || g END,
           '2024-03-01T00:00:00Z'::timestamptz + g * interval '100 seconds' + (g % 1000) * interval '1 microsecond'
    FROM generate_series(1, 2500) g`);
});
afterAll(async () => {
  await admin.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await admin.end();
});
beforeEach(async () => {
  ({ dir, cleanup } = await tmpDir());
  db = new SqliteRunDB({ path: join(dir, 'runs.db') });
});
afterEach(async () => {
  await db.close();
  await cleanup();
});

const featureSet = (source: DataSource) =>
  new FeatureSet({
    name: 'tx',
    project: 'p',
    entities: ['user_id'],
    timestampKey: 'ts',
    source,
    targets: [new DataTargetBase({ name: 'offline', kind: 'parquet', path: `${dir}/out/`, timePartitioningGranularity: 'day' })],
  });

async function pgRows(where = 'true'): Promise<Array<Record<string, unknown>>> {
  const r = await admin.query(`SELECT id::int AS id, user_id, amount::float8 AS amount, big::text AS big, note,
    (extract(epoch FROM ts) * 1000000)::int8::text AS ts_us FROM ${TABLE} WHERE ${where} ORDER BY id`);
  return r.rows.map((row: Record<string, unknown>) => ({ ...row, amount: row.amount === null ? null : Number(row.amount) }));
}

async function parquetRows(runId: string): Promise<Array<Record<string, unknown>>> {
  return duckQuery(`SELECT id::INT AS id, user_id, amount, big::VARCHAR AS big, note, epoch_us(ts)::VARCHAR AS ts_us
    FROM read_parquet('${dir}/out/${runId}/**/*.parquet', hive_partitioning = false) ORDER BY id`);
}

describe('ingest() from a sql source into partitioned Parquet', () => {
  it('writes exactly the table rows, day-partitioned, and DuckDB reads them back', async () => {
    const source = new DataSource({ kind: 'sql', attributes: { db_url: services.pgUrl(), table_name: TABLE, chunksize: 700 } });
    const { run, result } = await ingest(featureSet(source), { db, cwd: dir, runId: '1_1' });
    expect(await run.state()).toBe('completed');
    expect(result?.rowsRead).toBe(2500);
    expect(run.status.results).toMatchObject({ rows_read: 2500, rows_written: { offline: 2500 } });
    expect(await parquetRows('1_1')).toEqual(await pgRows());
    const days = await duckQuery(`SELECT DISTINCT day FROM read_parquet('${dir}/out/1_1/**/*.parquet', hive_partitioning = true) ORDER BY day`);
    expect(days.map((d) => Number(d.day))).toEqual([1, 2, 3]);
  });

  it('kind sqldb with a time window and filters pushed down ingests only the matching rows', async () => {
    const source = new DataSource({
      kind: 'sqldb',
      timeField: 'ts',
      startTime: '2024-03-01T12:00:00Z',
      endTime: '2024-03-02T12:00:00Z',
      attributes: { db_url: services.pgUrl(), table_name: TABLE, additional_filters: [['user_id', 'in', ['u1', 'u2', 'u3']]] },
    });
    const { result } = await ingest(featureSet(source), { db, cwd: dir, runId: '2_2' });
    const expected = await pgRows(`ts > '2024-03-01T12:00:00Z' AND ts <= '2024-03-02T12:00:00Z' AND user_id IN ('u1', 'u2', 'u3')`);
    expect(expected.length).toBeGreaterThan(100);
    expect(result?.rowsRead).toBe(expected.length);
    expect(await parquetRows('2_2')).toEqual(expected);
  });
});
