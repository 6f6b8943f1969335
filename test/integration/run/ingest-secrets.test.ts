import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataSource, DataTargetBase, FeatureSet, SqliteRunDB, ingest } from '../../../connectors/index.js';
import type { RunDB } from '../../../connectors/index.js';
import { tmpDir } from '../../support/tmp-dir.js';

const FIXTURE = new URL('../../../fixtures/data/transactions.csv', import.meta.url).pathname;
let dir: string;
let cleanup: () => Promise<void>;
let db: RunDB;
let envName: string;
beforeEach(async () => {
  ({ dir, cleanup } = await tmpDir());
  db = new SqliteRunDB({ path: join(dir, 'runs.db') });
  envName = `SLUICE_TEST_SECRET_${process.pid}_${Math.random().toString(36).slice(2)}`;
});
afterEach(async () => {
  delete process.env[envName];
  await db.close();
  await cleanup();
});

const featureSet = () =>
  new FeatureSet({
    name: 'tx',
    project: 'p',
    entities: ['user_id'],
    timestampKey: 'ts',
    source: new DataSource({ kind: 'csv', path: FIXTURE }),
    targets: [new DataTargetBase({ name: 'offline', kind: 'parquet', path: `${dir}/out/`, timePartitioningGranularity: 'day' })],
  });

describe('ingest() with secrets', () => {
  it('a one-character env secret (X=0) neither breaks nor rewrites the run record', async () => {
    process.env[envName] = '0';
    const { run } = await ingest(featureSet(), { db, cwd: dir, runId: '1700000000000_0', secrets: [`env=${envName}`] });
    expect(await run.state()).toBe('completed');
    const stored = await db.readRun(run.uid, { project: 'p' });
    expect(stored?.spec?.parameters).toMatchObject({ run_id: '1700000000000_0', source_path: FIXTURE });
    expect(stored?.status?.results).toMatchObject({ ingest_run_id: '1700000000000_0', rows_read: 2000 });
  });

  it('a missing env secret is a warning line in the run log', async () => {
    const { run } = await ingest(featureSet(), { db, cwd: dir, secrets: [`env=${envName}`] });
    expect(await run.state()).toBe('completed');
    const logs = (await db.getLog(run.uid, { project: 'p' })).text;
    expect(logs).toMatch(new RegExp(`WARN  secret ${envName}: environment variable ${envName} is not set`));
  });
});
