import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataSource, DataTargetBase, FeatureSet, SqliteRunDB, ingest } from '../../../connectors/index.js';
import type { RunDB } from '../../../connectors/index.js';
import { services, uniqueName } from '../../support/services.js';
import { tmpDir } from '../../support/tmp-dir.js';

const schema = uniqueName('pw');
let client: pg.Client;
let dir: string;
let cleanup: () => Promise<void>;
let db: RunDB;

beforeAll(async () => {
  client = new pg.Client({ connectionString: services.pgUrl() });
  await client.connect();
  await client.query(`CREATE SCHEMA "${schema}"; CREATE TABLE "${schema}".t (id text, v float8, ts timestamptz); INSERT INTO "${schema}".t VALUES ('a', 1, '2024-01-05T00:00:00Z'), ('b', 2, '2024-01-05T01:00:00Z')`);
  ({ dir, cleanup } = await tmpDir());
  db = new SqliteRunDB({ path: join(dir, 'runs.db') });
});
afterAll(async () => {
  await client.query(`DROP SCHEMA "${schema}" CASCADE`);
  await client.end();
  await db.close();
  await cleanup();
});

describe('a password inside a source URL', () => {
  it('never reaches the run record, its log or the stored feature set', async () => {
    const url = new URL(services.pgUrl());
    url.password = 'Sup3rSecret-pw';
    const fs = new FeatureSet({
      name: 'pw', entities: ['id'], timestampKey: 'ts',
      source: new DataSource({ kind: 'sql', path: url.href, attributes: { table_name: `${schema}.t` } }),
      targets: [new DataTargetBase({ name: 'p', kind: 'parquet', path: `${dir}/out/`, partitioned: false })],
    });
    const { run } = await ingest(fs, { db, cwd: dir });
    expect(await run.state()).toBe('completed');
    expect(run.status.results?.rows_read).toBe(2);
    const stored = JSON.stringify([await db.readRun(run.uid, { project: 'default' }), (await db.getLog(run.uid)).text, await db.getFeatureSet('pw')]);
    expect(stored).not.toContain('Sup3rSecret-pw');
    expect(stored).toContain('postgres:***@');
  });
});
