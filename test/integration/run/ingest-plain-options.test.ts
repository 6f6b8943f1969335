import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataSource, DataTargetBase, FeatureSet, ingest } from '../../../connectors/index.js';
import type { RunDB } from '../../../connectors/index.js';
import { tempRunDB } from '../../support/temp-run-db.js';

const FIXTURE = new URL('../../../fixtures/data/transactions.csv', import.meta.url).pathname;
let dir: string;
let db: RunDB;
let done: () => Promise<void>;
beforeEach(async () => ({ dir, db, done } = await tempRunDB()));
afterEach(async () => done());

describe('ingest() of a feature set built from plain option objects', () => {
  it('builds the source and targets, commits and reports the run completed', async () => {
    const fs = new FeatureSet({
      name: 'tx',
      project: 'p',
      entities: ['user_id'],
      timestampKey: 'ts',
      source: { kind: 'csv', path: FIXTURE },
      targets: [{ name: 'offline', kind: 'parquet', path: `${dir}/out/`, timePartitioningGranularity: 'day' }],
    });
    expect(fs.spec.source).toBeInstanceOf(DataSource);
    expect(fs.spec.targets[0]).toBeInstanceOf(DataTargetBase);
    const { run, result } = await ingest(fs, { db, cwd: dir, runId: '1700000000000_7' });
    expect(await run.state()).toBe('completed');
    expect(result?.targets[0]?.rows).toBe(2000);
    expect(existsSync(join(dir, 'out', '1700000000000_7', '_SUCCESS'))).toBe(true);
    const stored = await db.getFeatureSet('tx', { project: 'p' });
    expect((stored?.spec as { source: unknown }).source).toEqual({ kind: 'csv', path: FIXTURE });
  });

  it('a feature set that cannot be stored fails the run before anything is written, never after the commit', async () => {
    const fs = new FeatureSet({ name: 'tx2', project: 'p', entities: ['user_id'], timestampKey: 'ts', source: { kind: 'csv', path: FIXTURE } });
    // Assigned after construction, so no check ran: a plain object without toDict.
    fs.spec.targets = [{ name: 'offline', kind: 'parquet', path: `${dir}/out2/` } as never];
    const { run } = await ingest(fs, { db, cwd: dir, runId: '1700000000000_8', raiseOnFailure: false });
    expect(await run.state()).toBe('error');
    expect(run.error).toMatch(/^feature set p\/tx2:latest cannot be stored \(.*toDict.*\); nothing was written/);
    expect(existsSync(join(dir, 'out2'))).toBe(false);
  });
});
