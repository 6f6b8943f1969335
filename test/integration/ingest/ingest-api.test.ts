import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataSource, DataTargetBase, FeatureSet, SqliteRunDB, ingest } from '../../../connectors/index.js';
import type { RunDB } from '../../../connectors/index.js';
import { duckQuery } from '../../support/duckdb.js';
import { tmpDir } from '../../support/tmp-dir.js';

const FIXTURE = new URL('../../../fixtures/data/transactions.csv', import.meta.url).pathname;
let dir: string;
let cleanup: () => Promise<void>;
let db: RunDB;
beforeEach(async () => {
  ({ dir, cleanup } = await tmpDir());
  db = new SqliteRunDB({ path: join(dir, 'runs.db') });
});
afterEach(async () => {
  await db.close();
  await cleanup();
});

const fsFor = (path = FIXTURE) =>
  new FeatureSet({
    name: 'tx',
    project: 'p',
    entities: ['user_id'],
    timestampKey: 'ts',
    source: new DataSource({ kind: 'csv', path }),
    targets: [new DataTargetBase({ name: 'offline', kind: 'parquet', path: `${dir}/out/`, timePartitioningGranularity: 'day' })],
  });

describe('ingest() with the built-in connectors', () => {
  it('records the run with rows read/written and timings, and stores the feature set status in the run db', async () => {
    const { run, featureSet, result } = await ingest(fsFor(), { db, cwd: dir, runId: '100_1' });
    expect(await run.state()).toBe('completed');
    expect(run.metadata.labels).toEqual({ kind: 'ingest', 'feature-set': 'tx' });
    expect(run.spec.parameters).toMatchObject({ feature_set: 'p/tx:latest', run_id: '100_1', source_path: FIXTURE });
    expect(run.status.results).toMatchObject({ ingest_run_id: '100_1', rows_read: 2000, rows_skipped: 0, rows_written: { offline: 2000 } });
    expect(Object.keys(run.status.results?.timings_ms as object)).toEqual(['readWriteMs', 'commitMs', 'totalMs']);
    expect(result?.targets[0]?.files).toBe(3);
    const stored = await db.getFeatureSet('tx', { project: 'p' });
    const st = (stored?.status as { targets: Array<Record<string, unknown>> }).targets[0];
    expect(st).toMatchObject({ name: 'offline', status: 'ready', run_id: '100_1', path: `${dir}/out/{run_id}/`, rows: 2000 });
    expect(st?.producer).toMatchObject({ kind: 'run', uri: `p@${run.uid}`, sources: { source: FIXTURE } });
    expect(featureSet.status.getTarget('offline')?.lastWritten).toBeInstanceOf(Date);
  });

  it('appends into the run id directory recorded in the stored status, across FeatureSet objects', async () => {
    await ingest(fsFor(), { db, cwd: dir, runId: '1_1' });
    await ingest(fsFor(), { db, cwd: dir, runId: '2_2', overwrite: false });
    expect((await duckQuery(`SELECT count(*) AS n FROM read_parquet('${dir}/out/1_1/**/*.parquet')`))[0]?.n).toBe(4000);
  });

  it('a failing ingestion raises with the run uid and the cause, and records the run as error', async () => {
    const bad = join(dir, 'bad.csv');
    await writeFile(bad, 'user_id,amount,category,ts\nu1,1.5,x,2024-01-05T00:00:00Z\nu2,2.5,x\n');
    await expect(ingest(fsFor(bad), { db, cwd: dir })).rejects.toThrow(/ingestion of p\/tx:latest failed \(run [0-9a-f]{32}\): .*bad\.csv.*line 3/);
    const runs = await db.listRuns({ project: 'p' });
    expect(runs[0]?.status?.state).toBe('error');
    const { run } = await ingest(fsFor(bad), { db, cwd: dir, raiseOnFailure: false });
    expect(await run.state()).toBe('error');
    expect((await db.getFeatureSet('tx', { project: 'p' }))?.status).toMatchObject({ targets: [{ name: 'offline', status: 'error' }] });
  });
});
